// The team page, the invitation page and the account page: their calls, typed by the spec.
import { send } from './api';
import type { Body, Ok } from './types';

export type TeamList = Ok<'getApiTeam'>;
export type TeamMember = TeamList['members'][number];
export type TeamInvitation = TeamList['invitations'][number];
export type MemberRole = TeamMember['role'];
export type InvitationInfo = Ok<'getApiInvitationsToken'>['invitation'];
export type SignIn = Ok<'getApiAccountSignIns'>['signIns'][number];

export const memberRoles: readonly MemberRole[] = ['admin', 'manager', 'viewer'];

const id = (value: string) => encodeURIComponent(value);

export const teamApi = {
  list: () => send<TeamList>('GET', '/api/team'),
  /** `mailed: false`: the invitation stands but its mail could not be sent; inviting again resends. */
  invite: (input: Body<'postApiTeamInvitations'>) => send<Ok<'postApiTeamInvitations'>>('POST', '/api/team/invitations', input),
  removeInvitation: (invitationId: string) => send<void>('DELETE', `/api/team/invitations/${id(invitationId)}`),
  /** 409 LAST_ADMIN for the brand's only active admin. */
  changeRole: (memberId: string, role: MemberRole) => send<Ok<'patchApiTeamMembersId'>>('PATCH', `/api/team/members/${id(memberId)}`, { role }),
  disable: (memberId: string) => send<Ok<'postApiTeamMembersIdDisable'>>('POST', `/api/team/members/${id(memberId)}/disable`),
  enable: (memberId: string) => send<Ok<'postApiTeamMembersIdEnable'>>('POST', `/api/team/members/${id(memberId)}/enable`),
};

export const invitationApi = {
  /** 404 INVITATION_NOT_FOUND, 410 INVITATION_USED or INVITATION_EXPIRED when it cannot be accepted. */
  show: (token: string) => send<Ok<'getApiInvitationsToken'>>('GET', `/api/invitations/${id(token)}`),
  accept: (token: string, input: Body<'postApiInvitationsTokenAccept'>) => send<Ok<'postApiInvitationsTokenAccept'>>('POST', `/api/invitations/${id(token)}/accept`, input),
};

/** A plain link, not a fetch: the browser streams the (possibly large) file straight to disk. Admins only. */
export const brandExportHref = (format: 'json' | 'csv') => `/api/account/export?format=${format}`;

export const accountApi = {
  changePassword: (input: Body<'postApiAccountPassword'>) => send<Ok<'postApiAccountPassword'>>('POST', '/api/account/password', input),
  signIns: () => send<Ok<'getApiAccountSignIns'>>('GET', '/api/account/sign-ins'),
};
