/*
 * Runs inside the drawn page (plain browser JavaScript, evaluated by scripts/screens/render.ts):
 * measures text contrast (WCAG 2.x: 4.5:1, or 3:1 for large text) and tap targets (at least 44 × 44 px,
 * not touching another target). Answers { texts, lowContrast[], targets, smallTargets[], touching[] }.
 */
(() => {
  const MIN_TAP = 44;
  const parse = (color) => {
    const m = color.match(/rgba?\(([^)]+)\)/);
    if (!m) return [0, 0, 0, 0];
    const parts = m[1]
      .split(/[ ,/]+/)
      .filter(Boolean)
      .map(Number);
    return [parts[0], parts[1], parts[2], parts.length > 3 ? parts[3] : 1];
  };
  const over = (top, bottom) => {
    const a = top[3];
    return [0, 1, 2].map((i) => top[i] * a + bottom[i] * (1 - a)).concat(1);
  };
  const background = (element) => {
    const layers = [];
    for (let node = element; node && node.nodeType === 1; node = node.parentElement) {
      const bg = parse(getComputedStyle(node).backgroundColor);
      if (bg[3] > 0) layers.push(bg);
      if (bg[3] >= 1) break;
    }
    let color = [255, 255, 255, 1];
    for (const layer of layers.reverse()) color = over(layer, color);
    return color;
  };
  const luminance = (rgb) => {
    const [r, g, b] = rgb.slice(0, 3).map((v) => {
      const c = v / 255;
      return c <= 0.03928 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const ratio = (a, b) => {
    const [l1, l2] = [luminance(a), luminance(b)].sort((x, y) => y - x);
    return (l1 + 0.05) / (l2 + 0.05);
  };
  const visible = (element) => {
    const rect = element.getBoundingClientRect();
    const style = getComputedStyle(element);
    return rect.width > 0 && rect.height > 0 && style.visibility !== 'hidden' && Number(style.opacity) > 0;
  };
  const hex = (rgb) =>
    '#' +
    rgb
      .slice(0, 3)
      .map((v) => Math.round(v).toString(16).padStart(2, '0'))
      .join('');

  const lowContrast = [];
  let texts = 0;
  for (const element of document.body.querySelectorAll('*')) {
    const own = [...element.childNodes]
      .filter((n) => n.nodeType === 3 && n.textContent.trim())
      .map((n) => n.textContent.trim())
      .join(' ');
    const pseudo = element.matches('[data-screens-value],[data-screens-placeholder]')
      ? element.getAttribute('data-screens-value') || element.getAttribute('data-screens-placeholder')
      : '';
    const text = own || pseudo;
    if (!text || !visible(element)) continue;
    texts += 1;
    const style = getComputedStyle(element);
    let fg = parse(style.color);
    if (pseudo && !own) fg = parse(getComputedStyle(element, '::before').color);
    const bg = background(element);
    fg = over(fg, bg);
    const size = parseFloat(style.fontSize);
    const bold = Number(style.fontWeight) >= 700;
    const large = size >= 24 || (bold && size >= 18.66);
    const needed = large ? 3 : 4.5;
    const value = ratio(fg, bg);
    if (value < needed)
      lowContrast.push({
        text: text.slice(0, 40),
        color: hex(fg),
        background: hex(bg),
        ratio: +value.toFixed(2),
        needed,
        fontSize: size,
      });
  }

  const marked = [...document.querySelectorAll('[data-screens-tap]')].filter((el) => visible(el));
  const outermost = marked.filter((el) => !marked.some((other) => other !== el && other.contains(el)));
  const rects = outermost.map((el) => ({ el, rect: el.getBoundingClientRect() }));
  const label = (el) =>
    (el.textContent || el.getAttribute('data-screens-placeholder') || el.tagName.toLowerCase())
      .replace(/\s+/g, ' ')
      .trim()
      .slice(0, 30) || el.tagName.toLowerCase();
  const smallTargets = rects
    .filter(({ rect }) => rect.height < MIN_TAP - 0.5 || rect.width < MIN_TAP - 0.5)
    .map(({ el, rect }) => ({
      target: label(el),
      width: Math.round(rect.width),
      height: Math.round(rect.height),
    }));
  const touching = [];
  for (let i = 0; i < rects.length; i += 1)
    for (let j = i + 1; j < rects.length; j += 1) {
      const a = rects[i].rect,
        b = rects[j].rect;
      const gapX = Math.max(b.left - a.right, a.left - b.right);
      const gapY = Math.max(b.top - a.bottom, a.top - b.bottom);
      if (Math.max(gapX, gapY) < 1) touching.push({ a: label(rects[i].el), b: label(rects[j].el) });
    }
  return { texts, lowContrast, targets: rects.length, smallTargets, touching };
})();
