// kill -9 / SIGTERM and restart on PostgreSQL: a cluster of the test's own, in a temporary folder.
import { describeWithPostgres, startCluster } from './pg-cluster.js';
import { killRestartSuite } from './kill-restart.js';

describeWithPostgres('postgres', () => {
  killRestartSuite('postgres', async () => {
    const cluster = await startCluster();
    await cluster.createDatabase('foodlens');
    return { env: { MLFLOW_TRACKING_URI: cluster.url('foodlens') }, close: () => cluster.destroy() };
  });
});
