import { maskBankCard, maskIdNumber, maskName, maskPhone } from '../../shared/masking';

describe('masking by code point', () => {
  it('follows platform-facts for each kind', () => {
    expect(maskIdNumber('11010519491231002X')).toBe('1****************X');
    expect(maskPhone('13812345678')).toBe('138****5678');
    expect(maskBankCard('6222020200112233445')).toBe('***************3445');
    expect(maskName('张三')).toBe('*三');
    expect(maskName('欧阳娜娜')).toBe('***娜');
  });

  it('never splits an astral-plane character and counts it as one', () => {
    const name = '𠀋𡈽'; // two CJK Extension B characters, four UTF-16 units
    expect(name.length).toBe(4);
    expect(maskName(name)).toBe('*𡈽');
    expect(maskName('王𪚥')).toBe('*𪚥');
    expect(Array.from(maskName('𠀋𡈽𠀋')).length).toBe(3);
  });

  it('treats the middle dot as a character of the name', () => {
    expect(maskName('阿卜杜·热合曼')).toBe('******曼');
    expect(maskName('买买提·艾力')).toBe('*****力');
  });

  it('masks everything when the value is too short to keep anything', () => {
    expect(maskName('张')).toBe('*');
    expect(maskPhone('1234567')).toBe('*******');
    expect(maskIdNumber('1')).toBe('*');
    expect(maskBankCard('')).toBe('');
  });
});
