// kill -9 / SIGTERM and restart on the default store: the SQLite file `npm start` creates under ./mlruns.
import { killRestartSuite } from './kill-restart.js';

killRestartSuite('sqlite', async () => ({ env: {}, close: async () => {} }));
