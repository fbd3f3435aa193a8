import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { RecentPredictions } from '../../components/RecentPredictions';
import { listPredictions } from '../../lib/api';
import { listDeployedModels, predictPhoto } from './api';
import { AnswerCard } from './AnswerCard';
import { ChosenPhoto } from './ChosenPhoto';
import { DetectionOverlay } from './DetectionOverlay';
import { ModelPicker } from './ModelPicker';
import { PhotoPicker } from './PhotoPicker';
import { PredictError } from './PredictError';
import { uploadProblem } from './upload-checks';
import './analyze.css';

const LOG_WRITE_DELAY_MS = 1000;

export function AnalyzePage() {
  const queryClient = useQueryClient();
  const [file, setFile] = useState<File | null>(null);
  const [previewUrl, setPreviewUrl] = useState<string | null>(null);
  const [pickProblem, setPickProblem] = useState<string | null>(null);
  // '' = the server's default model
  const [model, setModel] = useState('');

  useEffect(() => {
    if (!file) {
      setPreviewUrl(null);
      return;
    }
    const url = URL.createObjectURL(file);
    setPreviewUrl(url);
    return () => URL.revokeObjectURL(url);
  }, [file]);

  const analyze = useMutation({
    mutationFn: (v: { file: File; model: string }) => predictPhoto(v.file, v.model || undefined),
    // The prediction log is written in batches (every 200 ms by default): ask again once it most likely has been.
    onSettled: () => {
      void queryClient.invalidateQueries({ queryKey: ['predictions'] });
      setTimeout(() => void queryClient.invalidateQueries({ queryKey: ['predictions'] }), LOG_WRITE_DELAY_MS);
    },
  });
  const recent = useQuery({ queryKey: ['predictions'], queryFn: () => listPredictions(10), refetchInterval: 10_000 });
  const models = useQuery({ queryKey: ['analyze', 'deployed-models'], queryFn: listDeployedModels, refetchInterval: 30_000 });
  // a model undeployed since it was chosen falls back to the default
  const chosenModel = model && models.data?.some((m) => m.name === model) ? model : '';

  const pick = (f: File) => {
    analyze.reset();
    const problem = uploadProblem(f);
    setPickProblem(problem);
    setFile(problem ? null : f);
  };

  const result = analyze.data;
  return (
    <div className="analyze">
      <section className="card analyze-card" aria-labelledby="analyze-title">
        <h1 id="analyze-title">Analyze a photo</h1>
        <form
          className="analyze-form"
          onSubmit={(e) => {
            e.preventDefault();
            if (file) analyze.mutate({ file, model: chosenModel });
          }}
        >
          <PhotoPicker onFile={pick} disabled={analyze.isPending} />
          {pickProblem && (
            <p role="alert" className="error" data-testid="pick-problem">
              {pickProblem}
            </p>
          )}
          {file && <ChosenPhoto file={file} />}
          <div className="analyze-actions">
            <ModelPicker models={models} value={chosenModel} onChange={setModel} />
            <button type="submit" disabled={!file || analyze.isPending} aria-busy={analyze.isPending}>
              {analyze.isPending ? 'Analyzing…' : 'Analyze'}
            </button>
          </div>
        </form>
        {analyze.isError && <PredictError error={analyze.error} />}
        {previewUrl && <DetectionOverlay key={previewUrl} src={previewUrl} detections={result?.detections ?? []} image={result?.image ?? null} />}
        {result && <AnswerCard result={result} />}
      </section>
      <section className="card" aria-labelledby="recent-title" data-testid="recent">
        <h2 id="recent-title">Recent predictions</h2>
        <RecentPredictions query={recent} />
      </section>
    </div>
  );
}
