// Says what is wrong with the data folder (`app:info`'s storageProblems: it cannot be written,
// so the library is read-only and this run's records are kept elsewhere), for as long as the
// app runs: it is not something a click fixes. Renderer only.
import { useCall } from '../host/hooks';

export function StorageBanner() {
  const info = useCall('app:info', {});
  if (info.status !== 'ok' || info.value.storageProblems.length === 0) return null;
  return (
    <div className="banners">
      {info.value.storageProblems.map((p) => (
        <div key={p} className="banner warn" role="alert" data-testid="storage-problem">
          <span>{p}</span>
        </div>
      ))}
    </div>
  );
}
