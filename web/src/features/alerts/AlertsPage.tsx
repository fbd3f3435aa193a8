import { DeliveryStatus } from '@foodlens/contracts';
import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { AlertsToolbar } from './AlertsToolbar';
import { CurrentAlertsPanel } from './CurrentAlertsPanel';
import { DeliveryLogPanel } from './DeliveryLogPanel';
import { EvaluatorPanel } from './EvaluatorPanel';
import { REFRESH_MS } from './queries';
import { RecentAlertsPanel } from './RecentAlertsPanel';
import { RulesPanel } from './RulesPanel';
import { SavedNotice } from './SavedNotice';
import './alerts.css';

/** The delivery log's status filter lives in the URL (?deliveries=failed), so a link can point at the failures. */
function useDeliveryStatus(): [DeliveryStatus | undefined, (s: DeliveryStatus | undefined) => void] {
  const [params, setParams] = useSearchParams();
  const parsed = DeliveryStatus.safeParse(params.get('deliveries'));
  const set = (s: DeliveryStatus | undefined) =>
    setParams(
      (p) => {
        const next = new URLSearchParams(p);
        if (s) next.set('deliveries', s);
        else next.delete('deliveries');
        return next;
      },
      { replace: true, preventScrollReset: true },
    );
  return [parsed.success ? parsed.data : undefined, set];
}

/** /alerts: current alerts, the rules and what can be done with them, recent alerts, the evaluator and the webhook log. */
export function AlertsPage() {
  const [autoRefresh, setAutoRefresh] = useState(true);
  const [status, setStatus] = useDeliveryStatus();
  const interval = autoRefresh ? REFRESH_MS : false;
  const showFailed = () => {
    setStatus('failed');
    document.getElementById('delivery-log')?.scrollIntoView({ block: 'start' });
  };
  return (
    <div className="dashboard alerts-page">
      <div className="dashboard-head">
        <h1>Alerts</h1>
        <AlertsToolbar autoRefresh={autoRefresh} onAutoRefresh={setAutoRefresh} />
      </div>
      <SavedNotice />
      <CurrentAlertsPanel refetchInterval={interval} />
      <RulesPanel refetchInterval={interval} />
      <RecentAlertsPanel refetchInterval={interval} />
      <EvaluatorPanel refetchInterval={interval} onShowFailed={showFailed} />
      <div id="delivery-log" className="panel-anchor">
        <DeliveryLogPanel refetchInterval={interval} status={status} onStatus={setStatus} />
      </div>
    </div>
  );
}
