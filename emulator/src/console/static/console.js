// The local console's page script: plain browser JavaScript, no framework, no build step.
// Everything is read from and written through the emulator's loopback-only admin routes.
(function () {
  'use strict';

  const $ = (id) => document.getElementById(id);
  let currentCollection = '';
  let editingId = '';

  /** Shows a failure at the top of the page (and clears it on success). */
  function showError(message) {
    $('error').textContent = message || '';
  }

  /** Fetches JSON; throws with the answer's code and message when not 2xx. */
  async function api(method, path, body) {
    const init = { method, headers: {} };
    if (body !== undefined) {
      init.headers['content-type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    const response = await fetch(path, init);
    const text = await response.text();
    const data = text ? JSON.parse(text) : {};
    if (!response.ok) {
      const code = data.code || data.errMsg || response.status;
      throw new Error(`${method} ${path}: ${code} ${data.message || ''}`.trim());
    }
    return data;
  }

  /** Runs an async UI action, reporting its failure instead of losing it. */
  function guarded(action) {
    return async (...args) => {
      try {
        showError('');
        await action(...args);
      } catch (error) {
        showError(error.message);
      }
    };
  }

  /** Builds an element with text and children (text only, never HTML: values come from user data). */
  function el(tag, text, children) {
    const node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    for (const child of children || []) node.appendChild(child);
    return node;
  }

  function button(label, onClick) {
    const node = el('button', label);
    node.type = 'button';
    node.addEventListener('click', guarded(onClick));
    return node;
  }

  /** Fills a table from a header list and rows of cells (strings or elements). */
  function fillTable(table, headers, rows) {
    table.replaceChildren(
      el(
        'tr',
        null,
        headers.map((h) => el('th', h)),
      ),
    );
    for (const row of rows) {
      table.appendChild(
        el(
          'tr',
          null,
          row.map((cell) => (cell instanceof Node ? el('td', null, [cell]) : el('td', cell))),
        ),
      );
    }
  }

  const json = (value) => JSON.stringify(value, null, 2);
  /** China time with its zone, e.g. `2026-12-01 10:00:00 UTC+8`. */
  const time = (ms) =>
    typeof ms === 'number'
      ? `${new Date(ms + 8 * 3600_000).toISOString().slice(0, 19).replace('T', ' ')} UTC+8`
      : String(ms ?? '');
  /** Masks phone and ID numbers anywhere in a value (the outbox shows what was sent, not who to). */
  const masked = (value) =>
    JSON.parse(
      JSON.stringify(value ?? null)
        .replace(/(?<!\d)((?:\+?86)?1\d{2})\d{4}(\d{4})(?!\d)/g, '$1****$2')
        .replace(/(?<![\dXx])(\d{6})\d{8}(\d{3}[\dXx])(?![\dXx])/g, '$1********$2'),
    );

  // --- services, health and clock -------------------------------------------------------------

  async function loadHealth() {
    const health = await api('GET', '/health');
    $('env').textContent = `env ${health.envId}`;
    $('clock-now').textContent = health.now;
    fillTable(
      $('services-table'),
      ['service', 'details'],
      health.services.map(({ name, ...info }) => [name, el('pre', json(info))]),
    );
  }

  async function loadClock() {
    const clock = await api('POST', '/_admin/clock', {});
    $('clock-iso').textContent = clock.iso;
    $('clock-offset').textContent = String(clock.offsetMs);
  }

  async function advanceClock() {
    const minutes = Number($('clock-advance').value);
    await api('POST', '/_admin/clock', { advanceMs: Math.round(minutes * 60_000) });
    await Promise.all([loadClock(), loadTimers(), loadHealth()]);
  }

  async function loadTimers() {
    const { timers } = await api('GET', '/_admin/timers');
    fillTable(
      $('timers-table'),
      ['function', 'trigger', 'cron', 'next fire', ''],
      timers.map((t) => [
        t.function,
        t.trigger,
        t.cron,
        t.nextFireAt || '',
        button('Fire now', async () => {
          await api('POST', '/_admin/timers/fire', { function: t.function, trigger: t.trigger });
          await Promise.all([loadTimers(), loadInvocations()]);
        }),
      ]),
    );
  }

  // --- collections ------------------------------------------------------------------------------

  async function loadCollections() {
    const { collections } = await api('GET', '/_admin/console/collections');
    $('collection-list').replaceChildren(
      ...collections.map((c) => {
        const item = el('li', `${c.name} (${c.count})`);
        item.dataset.collection = c.name;
        item.addEventListener(
          'click',
          guarded(async () => {
            currentCollection = c.name;
            $('collection-name').textContent = c.name;
            await findDocuments();
          }),
        );
        return item;
      }),
    );
  }

  async function findDocuments() {
    if (!currentCollection) throw new Error('choose a collection first');
    let filter;
    try {
      filter = JSON.parse($('collection-filter').value || '{}');
    } catch (error) {
      throw new Error(`the filter is not valid JSON: ${error.message}`);
    }
    const limit = Number($('collection-limit').value) || 50;
    const path = `/_admin/console/collections/${encodeURIComponent(currentCollection)}/find`;
    const { documents } = await api('POST', path, { filter, limit });
    $('documents').replaceChildren(
      el('p', `${documents.length} document(s)`),
      ...documents.map((doc) => {
        const box = el('div', null, [el('pre', json(doc))]);
        box.className = 'document';
        box.dataset.id = String(doc._id);
        box.appendChild(button('Edit', () => openEditor(doc)));
        return box;
      }),
    );
  }

  function openEditor(doc) {
    editingId = String(doc._id);
    $('editor-id').textContent = editingId;
    $('editor-text').value = json(doc);
    $('editor').hidden = false;
  }

  async function saveDocument() {
    let document;
    try {
      document = JSON.parse($('editor-text').value);
    } catch (error) {
      throw new Error(`the document is not valid JSON: ${error.message}`);
    }
    const path =
      `/_admin/console/collections/${encodeURIComponent(currentCollection)}` +
      `/documents/${encodeURIComponent(editingId)}`;
    await api('PUT', path, { document });
    $('editor').hidden = true;
    await findDocuments();
  }

  // --- functions ----------------------------------------------------------------------------------

  async function loadFunctions() {
    const overview = await api('GET', '/_admin/functions');
    const select = $('invoke-name');
    const chosen = select.value;
    select.replaceChildren(...overview.functions.map((f) => el('option', f.name)));
    if (chosen) select.value = chosen;
    const failed = (overview.failed || []).map((f) => `${f.name}: bundling failed`);
    $('function-list').replaceChildren(
      el(
        'p',
        `${overview.functions.length} function(s): ${overview.functions.map((f) => f.name).join(', ')}`,
      ),
      ...failed.map((line) => el('p', line)),
    );
  }

  async function invoke() {
    let event;
    try {
      event = JSON.parse($('invoke-event').value || '{}');
    } catch (error) {
      throw new Error(`the event is not valid JSON: ${error.message}`);
    }
    const openid = $('invoke-openid').value.trim();
    const body = { name: $('invoke-name').value, event };
    if (openid) body.openid = openid;
    $('invoke-status').textContent = 'running…';
    let result;
    try {
      result = await api('POST', '/_admin/console/invoke', body);
    } catch (error) {
      $('invoke-status').textContent = 'not invoked';
      throw error;
    }
    $('invoke-status').textContent = result.error ? `error ${result.error.code}` : 'ok';
    $('invoke-duration').textContent = String(result.durationMs);
    $('invoke-result').textContent = json(result.error ? result.error : result.result);
    $('invoke-logs').textContent = result.logs.map((l) => `${time(l.at)} ${l.level} ${l.message}`).join('\n');
    await Promise.all([loadInvocations(), loadOutbox(), loadBills()]);
  }

  async function loadInvocations() {
    const { invocations } = await api('GET', '/_admin/functions/invocations?limit=20');
    fillTable(
      $('invocations-table'),
      [
        'started',
        'function',
        'source',
        'openid',
        'outcome',
        'ms',
        'SDK calls',
        'transactions',
        'conflicts',
        'db ms',
        'logs',
      ],
      invocations.map((r) => [
        time(r.startedAt),
        r.name,
        r.source,
        r.openid || '',
        r.error ? `${r.outcome} ${r.error.code}` : r.outcome,
        String(r.durationMs),
        String(r.sdkCalls),
        String(r.transactions),
        String(r.conflicts),
        String(r.dbMs),
        el('pre', r.logs.map((l) => `${l.level} ${l.message}`).join('\n')),
      ]),
    );
  }

  // --- outbox -------------------------------------------------------------------------------------

  async function loadOutbox() {
    const [messages, sms] = await Promise.all([
      api('GET', '/_admin/openapi/outbox?kind=message'),
      api('GET', '/_admin/openapi/outbox?kind=sms'),
    ]);
    const entries = [...messages.entries, ...sms.entries].sort((a, b) => b.seq - a.seq);
    fillTable(
      $('outbox-table'),
      ['at', 'kind', 'api', 'caller', 'errcode', 'payload'],
      entries.map((e) => [
        time(e.at),
        e.kind,
        e.api,
        e.caller || '',
        String(e.errcode),
        el('pre', json(masked(e.payload))),
      ]),
    );
  }

  // --- files (cloud storage) ------------------------------------------------------------------------

  async function loadFiles() {
    const { files } = await api('GET', '/_admin/storage/files');
    fillTable(
      $('files-table'),
      ['path', 'size (bytes)', 'type', 'creator', 'permission', 'uploaded', ''],
      files.map((f) => [
        f.cloudPath,
        String(f.size),
        f.contentType,
        f.ownerOpenid || '(admin)',
        f.permission,
        time(f.uploadedAt),
        button('Open', () => openFile(f.fileId)),
      ]),
    );
  }

  /** Opens a file through a short-lived admin temp link (the console is an admin, like CloudBase's). */
  async function openFile(fileId) {
    const link = await api('POST', '/_admin/storage/link', { fileId });
    if (link.code !== 'SUCCESS') throw new Error(`${fileId}: ${link.code}`);
    window.open(encodeURI(link.tempFileURL), '_blank', 'noopener');
  }

  // --- WeChat Pay sandbox ---------------------------------------------------------------------------

  async function loadBills() {
    const { bills } = await api('GET', '/_admin/wechatpay/bills');
    fillTable(
      $('bills-table'),
      ['out bill no', 'amount (fen)', 'state', 'openid', 'updated', 'as the borrower'],
      bills.map(({ bill }) => [
        bill.outBillNo,
        String(bill.transferAmount),
        bill.failReason ? `${bill.state} (${bill.failReason})` : bill.state,
        bill.openid,
        time(bill.updatedAt),
        el('span', null, borrowerButtons(bill)),
      ]),
    );
  }

  /**
   * Confirm / Close as the borrower: only a bill waiting for the borrower with its package can take
   * them; on any other bill (finished, or not yet handed to the borrower) they are disabled.
   */
  function borrowerButtons(bill) {
    const waiting = bill.state === 'WAIT_USER_CONFIRM' && Boolean(bill.packageInfo);
    return [
      button('Confirm', () => borrowerAction(bill, 'confirm')),
      button('Close', () => borrowerAction(bill, 'close')),
    ].map((node) => {
      node.disabled = !waiting;
      node.dataset.billAction = node.textContent.toLowerCase();
      if (!waiting) node.title = `bill is ${bill.state}: nothing for the borrower to confirm or close`;
      return node;
    });
  }

  /** What the borrower's requestMerchantTransfer would do, through the sandbox's user endpoint. */
  async function borrowerAction(bill, action) {
    await api('POST', '/_user/wechatpay/merchant-transfer', {
      mchId: bill.mchId,
      appId: bill.appId,
      package: bill.packageInfo,
      openId: bill.openid,
      action,
    });
    await Promise.all([loadBills(), loadInvocations()]);
  }

  async function addFault() {
    let spec;
    try {
      spec = JSON.parse($('fault-spec').value);
    } catch (error) {
      throw new Error(`the fault is not valid JSON: ${error.message}`);
    }
    const { faults } = await api('POST', '/_admin/wechatpay/faults', spec);
    $('faults').textContent = json(faults);
  }

  async function clearFaults() {
    const { faults } = await api('POST', '/_admin/wechatpay/faults', { clear: true });
    $('faults').textContent = json(faults);
  }

  // --- wiring -------------------------------------------------------------------------------------

  /** Each section loads on its own, so one failing service does not blank the others. */
  async function refreshAll() {
    const loaders = [loadHealth, loadClock, loadTimers, loadCollections, loadFunctions, loadInvocations];
    loaders.push(loadOutbox, loadFiles, loadBills);
    const outcomes = await Promise.allSettled(loaders.map((load) => load()));
    const failures = outcomes.filter((o) => o.status === 'rejected').map((o) => o.reason.message);
    showError(failures.join('; '));
    document.body.dataset.ready = 'true';
  }

  $('refresh-all').addEventListener('click', refreshAll);
  $('clock-advance-button').addEventListener('click', guarded(advanceClock));
  $('collection-find').addEventListener('click', guarded(findDocuments));
  $('editor-save').addEventListener('click', guarded(saveDocument));
  $('editor-cancel').addEventListener('click', () => ($('editor').hidden = true));
  $('invoke-button').addEventListener('click', guarded(invoke));
  $('fault-add').addEventListener('click', guarded(addFault));
  $('fault-clear').addEventListener('click', guarded(clearFaults));
  void refreshAll();
})();
