import type { TokenStore } from '../../../src';
import { describeRepository, type OpenRepository } from './repository-fixtures';
import { t0 } from './storage-fixtures';

/** What every storage adapter promises of the access tokens. */
export function tokenConformance(name: string, open: OpenRepository<TokenStore>): void {
  describeRepository(`${name} storage: tokens`, open, (opened) => {
    test('keeps tokens by hash until they expire', async () => {
      const { store, peer } = opened;
      const token = {
        tokenHash: 'h1',
        clientId: 'c',
        orgId: 'acme',
        scope: 'autofacilitateapi',
        issuedAt: t0,
        expiresAt: t0 + 1000,
      };
      await store.saveToken(token);
      expect(await peer.findToken('h1', t0 + 999)).toEqual(token);
      expect(await store.findToken('h1', t0 + 1000)).toBeUndefined();
      expect(await store.findToken('h2', t0)).toBeUndefined();
    });

    test('removes the tokens expired at a time, and only those', async () => {
      const { store, peer } = opened;
      await store.saveToken({
        tokenHash: 'gone',
        clientId: 'c',
        orgId: 'acme',
        scope: 's',
        issuedAt: t0,
        expiresAt: t0 + 10,
      });
      await store.saveToken({
        tokenHash: 'live',
        clientId: 'c',
        orgId: 'acme',
        scope: 's',
        issuedAt: t0,
        expiresAt: t0 + 11,
      });
      expect(await peer.purgeExpired(t0 + 10)).toBe(1);
      expect(await store.findToken('live', t0 + 10)).toMatchObject({ tokenHash: 'live' });
      expect(await store.purgeExpired(t0 + 10)).toBe(0);
    });
  });
}
