import { describe, expect, it } from 'vitest';
import type { Identity } from '../auth/token-verifier.js';
import { addressKey, clientKey } from './client-key.js';

describe('clientKey', () => {
  it('is the token when one was verified (the same wherever it is sent from), else the address', () => {
    const alice: Identity = { role: 'writer', name: 'alice' };
    const alsoAlice: Identity = { role: 'writer', name: 'alice' }; // another token with the same name and role
    expect(clientKey(alice, '10.0.0.1')).toBe(clientKey(alice, '10.0.0.2'));
    expect(clientKey(alice, '10.0.0.1')).toMatch(/^token:/);
    expect(clientKey(alsoAlice, '10.0.0.1')).not.toBe(clientKey(alice, '10.0.0.1'));
    expect(clientKey(null, '10.0.0.1')).toBe('ip:10.0.0.1');
    expect(clientKey(null, '10.0.0.1')).not.toBe(clientKey(null, '10.0.0.2'));
  });
});

describe('addressKey', () => {
  it('keeps IPv4 addresses and unwraps IPv4-mapped IPv6 ones', () => {
    expect(addressKey('192.0.2.7')).toBe('192.0.2.7');
    expect(addressKey('::ffff:192.0.2.7')).toBe('192.0.2.7');
    expect(addressKey('::FFFF:192.0.2.7')).toBe('192.0.2.7');
  });

  it('gives every address of an IPv6 /64 one key, however it is written', () => {
    const key = addressKey('2001:db8:1:2::1');
    expect(key).toBe('2001:db8:1:2::/64');
    expect(addressKey('2001:0db8:0001:0002:ffff:ffff:ffff:ffff')).toBe(key);
    expect(addressKey('2001:db8:1:2:aaaa::')).toBe(key);
    expect(addressKey('2001:db8:1:3::1')).not.toBe(key);
    expect(addressKey('::1')).toBe('0:0:0:0::/64');
    expect(addressKey('fe80::1%eth0')).toBe('fe80:0:0:0::/64');
    expect(addressKey('64:ff9b::192.0.2.7')).toBe('64:ff9b:0:0::/64');
  });

  it('passes anything else through (an address Fastify could not read)', () => {
    expect(addressKey('')).toBe('');
    expect(addressKey('unix-socket')).toBe('unix-socket');
  });
});
