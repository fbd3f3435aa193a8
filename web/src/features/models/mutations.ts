// Changes made from the Models pages. Each refreshes every Models query afterwards (a stage or alias change shows in the
// list, the versions table and the deployment alike); a deployment change also stores the state the server answered.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { DeploymentConfig, DeploymentState } from '@foodlens/contracts';
import { deleteAlias, putDeployment, registerModel, rollbackDeployment, setAlias, transitionStage, type Registration } from './api';
import { MODELS_KEY } from './queries';

export function useSetAlias(model: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (v: { alias: string; version: string }) => setAlias(model, v.alias, v.version),
    onSettled: () => client.invalidateQueries({ queryKey: [MODELS_KEY] }),
  });
}

export function useDeleteAlias(model: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (alias: string) => deleteAlias(model, alias),
    onSettled: () => client.invalidateQueries({ queryKey: [MODELS_KEY] }),
  });
}

export function useTransitionStage(model: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (v: { version: string; stage: string; archiveExisting: boolean }) =>
      transitionStage(model, v.version, v.stage, v.archiveExisting),
    onSettled: () => client.invalidateQueries({ queryKey: [MODELS_KEY] }),
  });
}

/** `onDone` is given here, not to mutate(): the editor that applies a change is remounted by the new revision it gets
 * back, and mutate()'s own callbacks do not run for an unmounted component. */
function useDeploymentMutation<V>(model: string, fn: (v: V) => Promise<DeploymentState>, onDone?: (state: DeploymentState) => void) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSuccess: (state) => {
      client.setQueryData([MODELS_KEY, 'deployment', model], state);
      onDone?.(state);
    },
    onSettled: async () => {
      // the shell's status line (GET /health) names the default model's champion
      await Promise.all([client.invalidateQueries({ queryKey: [MODELS_KEY] }), client.invalidateQueries({ queryKey: ['health'] })]);
    },
  });
}

export function useApplyDeployment(model: string, onDone?: (state: DeploymentState) => void) {
  const put = (v: { config: DeploymentConfig; comment?: string }) => putDeployment(model, v.config, v.comment);
  return useDeploymentMutation(model, put, onDone);
}

export function useRollback(model: string, onDone?: (state: DeploymentState) => void) {
  return useDeploymentMutation(model, () => rollbackDeployment(model), onDone);
}

export function useRegisterModel() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (r: Registration) => registerModel(r),
    onSuccess: () => client.invalidateQueries({ queryKey: [MODELS_KEY] }),
  });
}
