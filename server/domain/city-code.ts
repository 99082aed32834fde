// 全国地方公共団体コード: five digits and a check digit (weights 6,5,4,3,2, modulus 11, last digit of 11 − remainder).

export function cityCodeCheckDigit(firstFive: string): number {
  const weights = [6, 5, 4, 3, 2];
  const sum = weights.reduce((acc, w, i) => acc + w * Number(firstFive[i]), 0);
  return (11 - (sum % 11)) % 10;
}

/** A Japanese message saying what is wrong with the code, or null when it is a valid 団体コード. */
export function cityCodeProblem(code: string): string | null {
  if (!/^\d{6}$/.test(code)) return '団体コードは 6 桁の数字で入力してください';
  const expected = cityCodeCheckDigit(code.slice(0, 5));
  if (Number(code[5]) !== expected) {
    return `団体コード「${code}」の検査数字が正しくありません（末尾は ${expected} のはずです）`;
  }
  return null;
}

export function isValidCityCode(code: string): boolean {
  return cityCodeProblem(code) === null;
}
