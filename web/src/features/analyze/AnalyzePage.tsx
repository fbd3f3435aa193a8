import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { RecentPredictions } from '../../components/RecentPredictions';
import { listPredictions, predict } from '../../lib/api';
import { DetectionOverlay } from './DetectionOverlay';

export function AnalyzePage() {
  const queryClient = useQueryClient();
  const [file, setFile] = useState<File | null>(null);
  const [previewUrl, setPreviewUrl] = useState<string | null>(null);

  useEffect(() => {
    if (!file) return;
    const url = URL.createObjectURL(file);
    setPreviewUrl(url);
    return () => URL.revokeObjectURL(url);
  }, [file]);

  const analyze = useMutation({
    mutationFn: (f: File) => predict(f),
    onSettled: () => queryClient.invalidateQueries({ queryKey: ['predictions'] }),
  });
  const recent = useQuery({ queryKey: ['predictions'], queryFn: () => listPredictions(10), refetchInterval: 10_000 });

  const result = analyze.data;
  return (
    <div className="analyze">
      <section className="card">
        <h1>Analyze a photo</h1>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            if (file) analyze.mutate(file);
          }}
        >
          <label className="file-picker">
            <input
              type="file"
              name="file"
              accept="image/jpeg,image/png,image/webp"
              aria-label="Food photo"
              onChange={(e) => {
                setFile(e.target.files?.[0] ?? null);
                analyze.reset();
              }}
            />
          </label>
          <button type="submit" disabled={!file || analyze.isPending}>
            {analyze.isPending ? 'Analyzing…' : 'Analyze'}
          </button>
        </form>
        {analyze.isError && (
          <p role="alert" className="error">
            {analyze.error.message}
          </p>
        )}
        {previewUrl && (
          <DetectionOverlay src={previewUrl} detections={result?.detections ?? []} image={result?.image ?? null} />
        )}
        {result && (
          <div className="result" data-testid="result">
            {result.food_name ? (
              <p className="food">
                <strong>{result.food_name}</strong> · {(result.confidence * 100).toFixed(1)}% confident
              </p>
            ) : (
              <p className="food">No known food found in this photo.</p>
            )}
            <p className="meta">
              {result.model.name} v{result.model.version} · {result.processing_time_ms.toFixed(0)} ms · {result.image.width}×
              {result.image.height} {result.image.format}
            </p>
          </div>
        )}
      </section>
      <section className="card">
        <h2>Recent predictions</h2>
        <RecentPredictions query={recent} />
      </section>
    </div>
  );
}
