import { unsuccessful } from './api_answers.ts';
import type { ApiContext, AuthOutcome, Endpoint } from './api_pipeline.ts';
import { formatTimestamp } from './sandbox_time.ts';

const SCOPES = [
  'all:bookings',
  'all:bookings-personal',
  'all:bookings-financial',
  'all:inventory',
  'all:properties',
  'all:accounts',
  'all:channels',
];

function byInviteCode(ctx: ApiContext): AuthOutcome {
  const code = ctx.header('code');
  const invite = code === undefined ? undefined : ctx.state.usableInviteCode(code);
  if (invite === undefined) return { answer: { status: 400, body: unsuccessful(400, 'Invalid code'), charged: false } };
  return { accountId: invite.accountId };
}

function byRefreshToken(ctx: ApiContext): AuthOutcome {
  const token = ctx.header('refreshToken');
  const refresh = token === undefined ? undefined : ctx.state.usableRefreshToken(token);
  if (refresh === undefined)
    return { answer: { status: 400, body: unsuccessful(400, 'Invalid refresh token'), charged: false } };
  return { accountId: refresh.accountId };
}

function secondsLeft(ctx: ApiContext, expiresAtMs: number): number {
  return Math.max(0, Math.ceil((expiresAtMs - ctx.state.now().getTime()) / 1000));
}

/** The authenticators above ran in the same tick, so the looked-up credential is still there. */
export function authEndpoints(): Endpoint[] {
  return [
    {
      method: 'GET',
      path: '/authentication/setup',
      metered: true,
      authenticate: byInviteCode,
      handle(ctx) {
        const invite = ctx.state.usableInviteCode(ctx.header('code') ?? '');
        if (invite === undefined) return { status: 400, body: unsuccessful(400, 'Invalid code'), charged: false };
        const { refresh, access } = ctx.state.redeemInviteCode(invite, ctx.header('deviceName') ?? '');
        return {
          status: 200,
          body: { token: access.token, expiresIn: secondsLeft(ctx, access.expiresAtMs), refreshToken: refresh.token },
        };
      },
    },
    {
      method: 'GET',
      path: '/authentication/token',
      metered: true,
      authenticate: byRefreshToken,
      handle(ctx) {
        const refresh = ctx.state.usableRefreshToken(ctx.header('refreshToken') ?? '');
        if (refresh === undefined)
          return { status: 400, body: unsuccessful(400, 'Invalid refresh token'), charged: false };
        const access = ctx.state.mintAccessToken(refresh);
        return { status: 200, body: { token: access.token, expiresIn: secondsLeft(ctx, access.expiresAtMs) } };
      },
    },
    {
      method: 'DELETE',
      path: '/authentication/token',
      metered: true,
      authenticate: byRefreshToken,
      handle(ctx) {
        const refresh = ctx.state.usableRefreshToken(ctx.header('refreshToken') ?? '');
        if (refresh === undefined)
          return { status: 400, body: unsuccessful(400, 'Invalid refresh token'), charged: false };
        ctx.state.revokeRefreshToken(refresh);
        return { status: 200, body: { success: true } };
      },
    },
    {
      method: 'GET',
      path: '/authentication/details',
      metered: false,
      handle(ctx) {
        const diagnostics = { requestIp: ctx.req.socket.remoteAddress ?? '' };
        const token = ctx.header('token');
        const access = token === undefined ? undefined : ctx.state.usableAccessToken(token);
        if (access === undefined) return { status: 200, body: { validToken: false, diagnostics }, accountId: null };
        return {
          status: 200,
          accountId: access.accountId,
          body: {
            validToken: true,
            token: {
              ownerId: access.accountId,
              expiresIn: secondsLeft(ctx, access.expiresAtMs),
              created: formatTimestamp(new Date(access.createdAtMs)),
              scopes: SCOPES,
              deviceName: access.deviceName,
              linkedProperties: false,
              onlyPropertyId: null,
              whiteListOnly: false,
              whiteList: [],
            },
            diagnostics,
          },
        };
      },
    },
  ];
}
