/** One `POST /admin` request as the SDK sent it, already decoded. */
export interface AdminRequest {
  /** The action's params: JSON body fields, or multipart text fields. */
  params: Record<string, unknown>;
  /** Multipart fields as raw bytes (openapi `requestData` is protobuf). */
  fields: Record<string, Buffer>;
  /** `wxCloudApiToken` of the caller: names the invocation that made the call, if any. */
  apiToken: string | undefined;
  /** `env` query parameter. */
  env: string | undefined;
  headers: Record<string, string | string[] | undefined>;
}

/** What a handler answers: `data` (wrapped as `{requestId, data}`), an error code, or raw bytes. */
export type AdminReply =
  | { kind: 'data'; data: unknown; extra?: Record<string, unknown> }
  | { kind: 'error'; code: string; message: string }
  | { kind: 'raw'; status?: number; contentType: string; body: Buffer | string };

export type AdminHandler = (request: AdminRequest) => Promise<AdminReply> | AdminReply;

/** One dispatched `POST /admin` action, as observers see it after it answered. */
export interface AdminCall {
  /** e.g. `database.getDocument`. */
  action: string;
  /** The caller's `wxCloudApiToken` (names the invocation that made the call), if any. */
  apiToken: string | undefined;
  /** Real milliseconds the handler took (no injected latency). */
  elapsedMs: number;
  /** The error code answered, when the call failed. */
  errorCode?: string;
}

/** Sees every dispatched action (the functions runtime meters each invocation's SDK calls). */
export type AdminCallObserver = (call: AdminCall) => void;

/** An error a handler throws to answer `{ code, message }` with HTTP 200, as CloudBase does. */
export class AdminError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** The dispatch table of the SDK's wire actions; services register the actions they serve. */
export class AdminRouter {
  private readonly handlers = new Map<string, AdminHandler>();
  private readonly observers: AdminCallObserver[] = [];

  /** Registers `action` (e.g. `database.getDocument`); a second registration is a programming error. */
  register(action: string, handler: AdminHandler): void {
    if (this.handlers.has(action)) throw new Error(`admin action ${action} registered twice`);
    this.handlers.set(action, handler);
  }

  /** Adds an observer told about every dispatched action once it answered. */
  observe(observer: AdminCallObserver): void {
    this.observers.push(observer);
  }

  /** Names of every served action. */
  actions(): string[] {
    return [...this.handlers.keys()].sort();
  }

  /** Runs the handler for the request's action, turning thrown AdminErrors into error replies. */
  async dispatch(request: AdminRequest): Promise<AdminReply> {
    const action = String(request.params.action ?? '');
    const started = performance.now();
    const reply = await this.run(action, request);
    if (this.observers.length > 0) {
      const call: AdminCall = { action, apiToken: request.apiToken, elapsedMs: performance.now() - started };
      if (reply.kind === 'error') call.errorCode = reply.code;
      for (const observer of this.observers) observer(call);
    }
    return reply;
  }

  private async run(action: string, request: AdminRequest): Promise<AdminReply> {
    const handler = this.handlers.get(action);
    if (!handler)
      return { kind: 'error', code: 'INVALID_ACTION', message: `action ${action} is not supported` };
    try {
      return await handler(request);
    } catch (error) {
      if (error instanceof AdminError) return { kind: 'error', code: error.code, message: error.message };
      console.error(`[admin] ${action} failed:`, error);
      return { kind: 'error', code: 'SYS_ERR', message: (error as Error).message };
    }
  }
}
