// The registry's not-found errors, worded as MLflow's model-registry store words them.
import { NotFound } from '../util/errors.js';

export const modelNotFound = (name: string) => new NotFound(`Registered Model with name=${name} not found`);
export const versionNotFound = (name: string, version: number) => new NotFound(`Model Version (name=${name}, version=${version}) not found`);
export const aliasNotFound = (name: string, alias: string) => new NotFound(`Registered model alias ${alias} not found for model ${name}.`);
