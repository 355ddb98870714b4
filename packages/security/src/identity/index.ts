export {
  type ClientIdentityOptions,
  clientIdentity,
  identifyRequest,
  identityOf,
  type ResolvedClientIdentityOptions,
  resolveClientIdentityOptions,
  resolveTrust,
} from './client-identity.ts';
export { type ForwardedElement, nodeAddress, parseForwarded, splitList } from './forwarded.ts';
export { type ParsedHost, parseHostHeader } from './host-header.ts';
export { canonicalIp, clientKeyOf, compileIpMatcher, type IpMatcher, parseCidr } from './ip.ts';
export { PROXY_PRESETS, type ProxyPresetName } from './presets.ts';
export { type ClientRequestFacts, type ForwardingHeader, type ProxyTrust, resolveClient } from './resolve.ts';
export { runtimePeerAddress } from './runtime-connection.ts';
export {
  type ClientIdentity,
  type ClientScheme,
  type HostVariables,
  type IdentityVariables,
  type PeerAddress,
  UNKNOWN_ADDRESS,
} from './types.ts';
