// Contract handlers of the `target` domain: thin calls into the target service. Host side.
import type { DomainHandlers } from '../../../shared/contract/dispatch';
import type { targetMethods } from '../../../shared/contract/target';
import type { TargetService } from './targetService';

export function createTargetHandlers(service: TargetService): DomainHandlers<typeof targetMethods> {
  return {
    'target:builds': () => service.builds(),
    'target:resolve-action': ({ id, build }) => service.resolveAction(id, build),
    'target:dry-run': (input) => service.dryRun(input),
  };
}
