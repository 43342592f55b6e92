import { checkTemplateData, fieldType } from '../../../emulator/src/openapi/template-fields';

/** The errcode the rules answer for one field, 0 when it passes. */
function errcodeFor(key: string, value: string): number {
  return checkTemplateData({ [key]: { value } })?.errcode ?? 0;
}

describe('subscribe-message template field rules', () => {
  test('field types come from the key prefix', () => {
    expect(fieldType('thing1')).toBe('thing');
    expect(fieldType('character_string12')).toBe('character_string');
    expect(fieldType('phrase3')).toBe('phrase');
    expect(fieldType('unknown1')).toBeUndefined();
    expect(fieldType('thing')).toBeUndefined();
  });

  test.each([
    ['thing1', '一二三四五六七八九十一二三四五六七八九十', 0],
    ['thing1', '一二三四五六七八九十一二三四五六七八九十一', 47003],
    ['thing1', '😀'.repeat(20), 0],
    ['number1', '1'.repeat(32), 0],
    ['number1', '1'.repeat(33), 47003],
    ['number1', '12a', 47003],
    ['character_string1', 'LN-2026-0001', 0],
    ['character_string1', 'A'.repeat(33), 47003],
    ['character_string1', '借款001', 47003],
    ['amount1', '¥1000.00', 0],
    ['amount1', '1000元', 0],
    ['amount1', '¥12345678901', 47003],
    ['amount1', '一千元', 47003],
    ['phrase1', '审核通过', 0],
    ['phrase1', '审核已经通过了', 47003],
    ['phrase1', 'OK', 47003],
    ['date1', '2019年10月1日 15:01', 0],
    ['date1', '2019年10月1日', 0],
    ['date1', '2019-10-01', 0],
    ['date1', '2019年10月1日 ~ 2019年10月3日', 0],
    ['date1', 'tomorrow', 47003],
    ['time1', '15:01', 0],
    ['time1', '3pm', 47003],
    ['name1', '张三', 0],
    ['name1', '一二三四五六七八九十一', 47003],
    ['name1', 'Zhang San', 0],
    ['name1', '张San', 47003],
  ])('%s = %j → errcode %i', (key, value, errcode) => {
    expect(errcodeFor(key, value)).toBe(errcode);
  });

  test('an empty value, an unknown key and non-object data are argument errors', () => {
    expect(checkTemplateData({ thing1: { value: '' } })?.errmsg).toMatch(/data\.thing1\.value is empty/);
    expect(checkTemplateData({ bogus1: { value: 'x' } })?.errcode).toBe(47003);
    expect(checkTemplateData('nope')?.errcode).toBe(47003);
    expect(checkTemplateData({ thing1: { value: 'ok' }, amount2: { value: '¥5' } })).toBeUndefined();
  });
});
