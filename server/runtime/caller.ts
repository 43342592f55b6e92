import type { OperatorRole } from '../../typings/ops';

/** Who is calling, taken only from `cloud.getWXContext()`; never from the event. */
export interface Caller {
  /** Borrower or operator openid; absent for console, timer and server-side calls. */
  openid: string | undefined;
  appid: string | undefined;
  unionid: string | undefined;
  clientIp: string | undefined;
  /** Comma-separated trigger chain as CloudBase reports it (`wx_client`, `scf`, `wx_trigger`, …). */
  source: string;
  /** Set by the dispatcher once the caller table's operator check verified this OPENID. */
  verifiedOperator?: { id: string; role: OperatorRole | 'console' };
}

/** Raw context shape (what getWXContext returns). */
export interface RawWxContext {
  OPENID?: string;
  APPID?: string;
  UNIONID?: string;
  CLIENTIP?: string;
  SOURCE?: string;
}

/** Normalises the SDK's context into a Caller. */
export function callerFromContext(ctx: RawWxContext): Caller {
  const text = (value: unknown): string | undefined =>
    typeof value === 'string' && value.length > 0 ? value : undefined;
  return {
    openid: text(ctx.OPENID),
    appid: text(ctx.APPID),
    unionid: text(ctx.UNIONID),
    clientIp: text(ctx.CLIENTIP),
    source: text(ctx.SOURCE) ?? '',
  };
}

/** True when any hop of the call chain came from a mini-program client. */
export function isFromClient(caller: Caller): boolean {
  return caller.source.split(',').some((s) => s === 'wx_client' || s === 'wx_devtools');
}
