// Versions of the app, its runtime and key dependencies: the live result of `app:info`.
import { useCall } from '../host/hooks';

export function AboutPanel() {
  const info = useCall('app:info', {});
  if (info.status === 'loading')
    return (
      <div className="muted" role="status">
        Loading host information…
      </div>
    );
  if (info.status === 'error')
    return (
      <div className="error" role="alert">
        Could not read host information: {info.error.message}
      </div>
    );
  const v = info.value;
  return (
    <section className="about" aria-label="About">
      <h2>
        {v.productName} <span data-testid="app-version">{v.version}</span>
      </h2>
      <p className="muted">
        Host: <span data-testid="host-kind">{v.host}</span> on {v.platform} · data in{' '}
        <code>{v.dataDir}</code>
      </p>
      <table className="kv">
        <tbody>
          {Object.entries(v.versions).map(([name, version]) => (
            <tr key={name}>
              <th scope="row">{name}</th>
              <td data-testid={`version-${name}`}>{version}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
