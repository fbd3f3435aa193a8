import { useId } from 'react';

/** A labelled 0–100 range input with its value shown beside it (and spoken as a percent). */
export function PercentSlider(props: { label: string; value: number; onChange: (v: number) => void; testId?: string }) {
  const id = useId();
  return (
    <div className="slider">
      <label htmlFor={id}>{props.label}</label>
      <div className="slider-line">
        <input
          id={id}
          type="range"
          min={0}
          max={100}
          step={1}
          value={props.value}
          aria-valuetext={`${props.value}%`}
          data-testid={props.testId}
          onChange={(e) => props.onChange(Number(e.target.value))}
        />
        {/* the slider speaks its own value; this is for the eye */}
        <output htmlFor={id} aria-hidden="true">
          {props.value}%
        </output>
      </div>
    </div>
  );
}
