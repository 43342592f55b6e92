import { validatePersonName } from '../../shared/person-name';

function code(raw: string): string {
  const result = validatePersonName(raw);
  return result.ok ? 'OK' : result.code;
}

describe('person names', () => {
  it('accepts Han names, astral-plane characters and middle-dot names', () => {
    expect(validatePersonName('张三')).toEqual({ ok: true, name: '张三' });
    expect(validatePersonName('𠀋𡈽')).toEqual({ ok: true, name: '𠀋𡈽' });
    expect(validatePersonName('阿卜杜·热合曼')).toEqual({ ok: true, name: '阿卜杜·热合曼' });
  });

  it('normalises surrounding spaces and look-alike dots', () => {
    expect(validatePersonName('  张三\u3000')).toEqual({ ok: true, name: '张三' });
    expect(validatePersonName('\u200B张三\uFEFF')).toEqual({ ok: true, name: '张三' });
    expect(validatePersonName('阿卜杜・热合曼')).toEqual({ ok: true, name: '阿卜杜·热合曼' });
    expect(validatePersonName('阿卜杜•热合曼')).toEqual({ ok: true, name: '阿卜杜·热合曼' });
  });

  it.each([
    ['', 'NAME_REQUIRED'],
    ['  ', 'NAME_REQUIRED'],
    ['张', 'NAME_TOO_SHORT'],
    ['张'.repeat(31), 'NAME_TOO_LONG'],
    ['张'.repeat(300), 'NAME_TOO_LONG'],
    ['张 三', 'NAME_CHARACTERS'],
    ['张\u0000三', 'NAME_CHARACTERS'],
    ['张\n三', 'NAME_CHARACTERS'],
    ['张\u202E三', 'NAME_CHARACTERS'], // right-to-left override
    ['张\u200B三', 'NAME_CHARACTERS'], // zero-width space inside
    ['张三\u0301', 'NAME_CHARACTERS'], // combining mark
    ['张三😀', 'NAME_CHARACTERS'],
    ['Zhang San', 'NAME_CHARACTERS'],
    ['张三1', 'NAME_CHARACTERS'],
    ['·张三', 'NAME_DOT'],
    ['张三·', 'NAME_DOT'],
    ['张··三', 'NAME_DOT'],
  ])('%j → %s', (raw, expected) => {
    expect(code(raw)).toBe(expected);
  });

  it('counts length in code points (30 astral characters fit)', () => {
    expect(code('𠀋'.repeat(30))).toBe('OK');
    expect(code('𠀋'.repeat(31))).toBe('NAME_TOO_LONG');
  });
});
