import fc from 'fast-check';
import { DEFAULT_IDENTITY_POLICY } from '../../shared/identity-policy';
import { normaliseIdNumber, parseIdNumber, validateIdNumber, type IdNumberResult } from '../../shared/idcard';
import { validIdNumber, withCheck } from './idcard-arbitrary';

/** 2026-11-28 12:00 China time. */
const NOW = Date.UTC(2026, 10, 28, 4);
const policy = DEFAULT_IDENTITY_POLICY;

function code(result: IdNumberResult): string {
  return result.ok ? 'OK' : result.code;
}

describe('GB 11643 parsing', () => {
  it('accepts the published samples with birth date, gender and document type', () => {
    expect(parseIdNumber('11010519491231002X', NOW)).toEqual({
      ok: true,
      idNumber: '11010519491231002X',
      birthDate: '1949-12-31',
      gender: 'female',
      documentType: 'resident',
    });
    expect(parseIdNumber('440524188001010014', NOW)).toMatchObject({
      ok: true,
      birthDate: '1880-01-01',
      gender: 'male',
    });
    expect(parseIdNumber('34052419800101001X', NOW)).toMatchObject({
      ok: true,
      birthDate: '1980-01-01',
      gender: 'male',
    });
  });

  it('accepts every generated valid number, and the policy accepts those of age 18–60', () => {
    fc.assert(
      fc.property(validIdNumber(), (id) => {
        expect(parseIdNumber(id, NOW)).toMatchObject({ ok: true, idNumber: id });
      }),
    );
    fc.assert(
      fc.property(validIdNumber(1967, 2007), (id) => {
        const result = validateIdNumber(id, NOW, policy);
        const year = Number(id.slice(6, 10));
        // Born 1967–2007: only the edges depend on month and day.
        if (year > 1966 && year < 2008)
          expect(['OK', 'ID_AGE_TOO_YOUNG', 'ID_AGE_TOO_OLD']).toContain(code(result));
        if (year > 1966 + 1 && year < 2008 - 1) expect(code(result)).toBe('OK');
      }),
    );
  });

  it('rejects EVERY single-character change of a valid number', () => {
    fc.assert(
      fc.property(validIdNumber(), (id) => {
        for (let i = 0; i < 18; i += 1) {
          const alphabet = i === 17 ? '0123456789X' : '0123456789';
          for (const c of alphabet) {
            if (c === id[i]) continue;
            const mutated = id.slice(0, i) + c + id.slice(i + 1);
            expect(parseIdNumber(mutated, NOW).ok).toBe(false);
          }
        }
      }),
      { numRuns: 200 },
    );
  });

  it('rejects EVERY swap of neighbouring body digits that changes the number', () => {
    fc.assert(
      fc.property(validIdNumber(), (id) => {
        for (let i = 0; i < 16; i += 1) {
          if (id[i] === id[i + 1]) continue;
          const swapped = id.slice(0, i) + id[i + 1] + id[i] + id.slice(i + 2);
          expect(parseIdNumber(swapped, NOW).ok).toBe(false);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('a swap of body digits that keeps the date and province valid fails on the check digit', () => {
    // 11010519491231002X: swapping the last two sequence digits "02" → "20".
    expect(code(parseIdNumber('11010519491231020X', NOW))).toBe('ID_CHECK_DIGIT');
  });
});

describe('normalisation policy', () => {
  const sample = '11010519491231002X';

  it('upper-cases a lowercase x and converts full-width digits and X', () => {
    expect(code(parseIdNumber('11010519491231002x', NOW))).toBe('OK');
    expect(parseIdNumber('１１０１０５１９４９１２３１００２Ｘ', NOW)).toMatchObject({
      ok: true,
      idNumber: sample,
    });
    expect(normaliseIdNumber('１１０１０５１９４９１２３１００２ｘ')).toBe(sample);
  });

  it('trims surrounding spaces, ideographic spaces and zero-width characters', () => {
    for (const raw of [
      ` ${sample} `,
      `\t${sample}\n`,
      `\u3000${sample}`,
      `\u200B${sample}\uFEFF`,
      `${sample}\u200D`,
    ])
      expect(parseIdNumber(raw, NOW)).toMatchObject({ ok: true, idNumber: sample });
  });

  it('refuses spaces or zero-width characters inside the number', () => {
    expect(code(parseIdNumber('110105 19491231002X', NOW))).toBe('ID_FORMAT');
    expect(code(parseIdNumber('110105\u200B19491231002X', NOW))).toBe('ID_FORMAT');
    expect(code(parseIdNumber('1101051949-1231002X', NOW))).toBe('ID_FORMAT');
  });
});

describe('bad inputs each get their specific code', () => {
  const body = '11010519491231002';
  it.each([
    ['', 'ID_REQUIRED'],
    ['   ', 'ID_REQUIRED'],
    ['110105491231002', 'ID_LENGTH'], // 15 (first-generation numbers are not accepted)
    [body, 'ID_LENGTH'], // 17
    ['11010519491231002X1', 'ID_FORMAT'], // 19 with X inside
    ['1101051949123100210', 'ID_LENGTH'], // 19 digits
    ['1'.repeat(65), 'ID_LENGTH'],
    ['X1010519491231002X', 'ID_FORMAT'],
    ['01010519491231002X', 'ID_FORMAT'], // leading zero
    ['11010519491231002Y', 'ID_FORMAT'],
    ['\u202E11010519491231002X', 'ID_FORMAT'], // right-to-left override
    [withCheck('00010519900101001'), 'ID_FORMAT'], // province 00 fails the leading-digit rule first
    [withCheck('99010519900101001'), 'ID_PROVINCE'],
    [withCheck('16010519900101001'), 'ID_PROVINCE'],
    [withCheck('81010519900101001'), 'ID_PROVINCE'], // 81 is only a permit as 810000
    [withCheck('11010520230229001'), 'ID_BIRTH_DATE'], // Feb 29 in a non-leap year
    [withCheck('11010519001301001'), 'ID_BIRTH_DATE'], // month 13
    [withCheck('11010519900100001'), 'ID_BIRTH_DATE'], // day 00
    [withCheck('11010519900431001'), 'ID_BIRTH_DATE'], // 31 April
    [withCheck('11010517990101001'), 'ID_BIRTH_DATE'], // before 1800
    [withCheck('11010520261129001'), 'ID_BIRTH_FUTURE'], // tomorrow in China
    [withCheck('11010530000101001'), 'ID_BIRTH_FUTURE'],
    ['110105194912310021', 'ID_CHECK_DIGIT'],
  ])('%j → %s', (raw, expected) => {
    expect(code(parseIdNumber(raw, NOW))).toBe(expected);
  });

  it('accepts Feb 29 of a leap year and a birth date of today', () => {
    expect(code(parseIdNumber(withCheck('11010520000229001'), NOW))).toBe('OK');
    expect(code(parseIdNumber(withCheck('11010520261128001'), NOW))).toBe('OK');
  });

  it('uses the China calendar day for "future" (UTC+8)', () => {
    const chinaMidnight = Date.UTC(2026, 10, 28, 16); // 2026-11-29 00:00 in China, still the 28th in UTC
    expect(code(parseIdNumber(withCheck('11010520261129001'), chinaMidnight))).toBe('OK');
    expect(code(parseIdNumber(withCheck('11010520261129001'), chinaMidnight - 1))).toBe('ID_BIRTH_FUTURE');
  });
});

describe('policy: age range and residence permits', () => {
  it('refuses ages outside 18–60 at the exact birthday boundaries (China date)', () => {
    expect(code(validateIdNumber(withCheck('11010520081128001'), NOW, policy))).toBe('OK'); // 18 today
    expect(code(validateIdNumber(withCheck('11010520081129001'), NOW, policy))).toBe('ID_AGE_TOO_YOUNG');
    expect(code(validateIdNumber(withCheck('11010519651129001'), NOW, policy))).toBe('OK'); // 60, 61 tomorrow
    expect(code(validateIdNumber(withCheck('11010519651128001'), NOW, policy))).toBe('ID_AGE_TOO_OLD'); // 61 today
    expect(code(validateIdNumber('440524188001010014', NOW, policy))).toBe('ID_AGE_TOO_OLD');
  });

  it('honours a configured range', () => {
    const wide = { ...policy, minAge: 16, maxAge: 200 };
    expect(code(validateIdNumber('440524188001010014', NOW, wide))).toBe('OK');
    expect(code(validateIdNumber(withCheck('11010520100101001'), NOW, wide))).toBe('OK');
  });

  it('accepts HK/Macao/Taiwan residence permits only when the policy says so', () => {
    for (const prefix of ['810000', '820000', '830000']) {
      const permit = withCheck(`${prefix}19900101001`);
      expect(parseIdNumber(permit, NOW)).toMatchObject({ ok: true, documentType: 'hmt_permit' });
      expect(code(validateIdNumber(permit, NOW, policy))).toBe('ID_PERMIT_NOT_ACCEPTED');
      expect(code(validateIdNumber(permit, NOW, { ...policy, acceptResidencePermits: true }))).toBe('OK');
    }
  });

  it('every refusal carries a Chinese message', () => {
    const result = validateIdNumber('123', NOW, policy);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).toMatch(/[\u4e00-\u9fff]/);
  });
});
