import type { AlertSeverity, AlertStateName, DeliveryStatus } from '@foodlens/contracts';

/** ok / pending / firing / resolved, coloured by how urgent (alerts.css), with the word always shown. */
export function StateBadge({ state }: { state: AlertStateName }) {
  return <span className={`badge state-${state}`}>{state}</span>;
}

export function SeverityBadge({ severity }: { severity: AlertSeverity }) {
  return <span className={`badge ${severity}`}>{severity}</span>;
}

export function DeliveryBadge({ status }: { status: DeliveryStatus }) {
  return <span className={`badge delivery-${status}`}>{status}</span>;
}
