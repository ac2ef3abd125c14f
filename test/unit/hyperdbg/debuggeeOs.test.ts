// `connected to debuggee %s`: v0.23's KdGetWindowVersion formats "%s %s %s (OS Build %s)" from
// ProductName, "- Client"/"- Server", DisplayVersion and CurrentBuild, even when a registry value
// is missing (its failure returns are commented out), so DisplayVersion may be empty.
import { describe, expect, it } from 'vitest';
import { parseDebuggeeOs } from '../../../shared/hyperdbg/debuggeeOs';

describe('debuggee OS', () => {
  it('reads product, edition, display version and build', () => {
    expect(parseDebuggeeOs('Windows 10 Pro - Client 22H2 (OS Build 19045)')).toEqual({
      description: 'Windows 10 Pro - Client 22H2 (OS Build 19045)',
      product: 'Windows 10 Pro',
      edition: 'client',
      displayVersion: '22H2',
      build: 19045,
    });
    expect(
      parseDebuggeeOs('Windows Server 2022 Datacenter - Server 21H2 (OS Build 20348)'),
    ).toMatchObject({ product: 'Windows Server 2022 Datacenter', edition: 'server', build: 20348 });
  });

  it('takes an empty DisplayVersion (builds before 20H2): two spaces before the build', () => {
    expect(parseDebuggeeOs('Windows 10 Pro - Client  (OS Build 18363)')).toMatchObject({
      product: 'Windows 10 Pro',
      displayVersion: '',
      build: 18363,
    });
  });

  it('keeps the text but no build when the registry gave none, and refuses other shapes', () => {
    expect(parseDebuggeeOs(' - Client  (OS Build )')).toMatchObject({ product: '', build: null });
    expect(parseDebuggeeOs('')).toBeNull();
    expect(parseDebuggeeOs('Windows 10 Pro 22H2')).toBeNull();
  });
});
