/** An amount of money in integer fen (1 CNY = 100 fen). Never a float, never yuan. */
export type Fen = number & { readonly __unit: 'fen' };
