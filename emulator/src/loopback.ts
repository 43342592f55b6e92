import type { FastifyReply, FastifyRequest } from 'fastify';

/** True when the peer address is on the loopback interface. */
export function isLoopback(address: string | undefined): boolean {
  if (!address) return false;
  return address === '::1' || address.startsWith('127.') || address.startsWith('::ffff:127.');
}

/** Fastify pre-handler refusing any caller not on loopback (admin surfaces: clock, reset, console). */
export async function loopbackOnly(request: FastifyRequest, reply: FastifyReply): Promise<void> {
  if (!isLoopback(request.socket.remoteAddress)) {
    await reply.code(403).send({ code: 'FORBIDDEN', message: 'only available on the loopback interface' });
  }
}
