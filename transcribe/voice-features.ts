import { SAMPLE_RATE } from './pcm.ts';

/**
 * Frame-level acoustic features for telling voices apart without trained weights: MFCCs (the shape of the vocal
 * tract, as in classic GMM speaker recognition) and F0 (voice pitch: men ≈ 85–180 Hz, women ≈ 165–255 Hz).
 * 32 ms Hann windows every 20 ms, one 1024-point FFT per frame serving both: the mel cepstrum from its power
 * spectrum and, as the inverse FFT of the same power spectrum, the autocorrelation that gives the pitch.
 */
export const HOP_SEC = 0.02;
export const N_MFCC = 20;
const HOP = Math.round(HOP_SEC * SAMPLE_RATE);
const WIN = 512;
const NFFT = 1024;
const N_MELS = 32;
const F0_MIN = 60;
const F0_MAX = 420;
/** Normalized autocorrelation peak above which a frame counts as voiced. */
const VOICING = 0.5;
const OCTAVE_TOLERANCE = 0.85;

export interface FrameFeatures {
  frames: number;
  /** frames × N_MFCC, row-major; c0 (log energy) first. */
  mfcc: Float32Array;
  /** Hz, 0 where unvoiced. */
  f0: Float32Array;
}

export function frameFeatures(samples: Float32Array): FrameFeatures {
  const frames = samples.length < WIN ? 0 : Math.floor((samples.length - WIN) / HOP) + 1;
  const mfcc = new Float32Array(frames * N_MFCC);
  const f0 = new Float32Array(frames);
  const re = new Float64Array(NFFT);
  const im = new Float64Array(NFFT);
  const power = new Float64Array(NFFT / 2 + 1);
  const mel = new Float64Array(N_MELS);
  for (let f = 0; f < frames; f++) {
    const off = f * HOP;
    let mean = 0;
    for (let i = 0; i < WIN; i++) mean += samples[off + i];
    mean /= WIN;
    re.fill(0);
    im.fill(0);
    for (let i = 0; i < WIN; i++) re[i] = (samples[off + i] - mean) * HANN[i];
    fft(re, im, false);
    for (let k = 0; k <= NFFT / 2; k++) power[k] = re[k] * re[k] + im[k] * im[k];

    for (let m = 0; m < N_MELS; m++) {
      let e = 0;
      const [lo, hi, w] = MEL_BANK[m];
      for (let k = lo; k < hi; k++) e += power[k] * w[k - lo];
      mel[m] = Math.log(e + 1e-10);
    }
    for (let c = 0; c < N_MFCC; c++) {
      let s = 0;
      for (let m = 0; m < N_MELS; m++) s += mel[m] * DCT[c * N_MELS + m];
      mfcc[f * N_MFCC + c] = s;
    }
    f0[f] = pitchFromPower(power, re, im);
  }
  return { frames, mfcc, f0 };
}

/** Autocorrelation = inverse FFT of the power spectrum; F0 from its highest peak in the pitch range. */
function pitchFromPower(power: Float64Array, re: Float64Array, im: Float64Array): number {
  for (let k = 0; k <= NFFT / 2; k++) {
    re[k] = power[k];
    im[k] = 0;
  }
  for (let k = NFFT / 2 + 1; k < NFFT; k++) {
    re[k] = power[NFFT - k];
    im[k] = 0;
  }
  fft(re, im, true);
  const r0 = re[0];
  if (r0 <= 1e-9) return 0;
  const minLag = Math.floor(SAMPLE_RATE / F0_MAX);
  const maxLag = Math.ceil(SAMPLE_RATE / F0_MIN);
  const peaks: Array<[number, number]> = [];
  let best = 0;
  for (let lag = minLag; lag <= maxLag; lag++) {
    if (re[lag] < re[lag - 1] || re[lag] < re[lag + 1]) continue;
    // Dividing by the window's own autocorrelation undoes the taper, so long lags are not penalized.
    const v = re[lag] / (r0 * HANN_AC[lag]);
    peaks.push([lag, v]);
    best = Math.max(best, v);
  }
  if (best < VOICING) return 0;
  // Multiples of the period peak almost as high as the period itself: the shortest lag near the best is the
  // period (taking the highest peak halves the pitch of many frames).
  const bestLag = peaks.find(([, v]) => v >= OCTAVE_TOLERANCE * best)![0];
  // Parabolic interpolation around the peak for sub-sample lag precision.
  const a = re[bestLag - 1];
  const b = re[bestLag];
  const c = re[bestLag + 1];
  const shift = a - 2 * b + c === 0 ? 0 : (0.5 * (a - c)) / (a - 2 * b + c);
  return SAMPLE_RATE / (bestLag + shift);
}

const HANN = Float64Array.from({ length: WIN }, (_, i) => 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / (WIN - 1)));
const HANN_AC = (() => {
  const out = new Float64Array(NFFT);
  let r0 = 0;
  for (let i = 0; i < WIN; i++) r0 += HANN[i] * HANN[i];
  for (let lag = 0; lag < WIN; lag++) {
    let s = 0;
    for (let i = 0; i + lag < WIN; i++) s += HANN[i] * HANN[i + lag];
    out[lag] = Math.max(s / r0, 1e-3);
  }
  return out;
})();

/** Triangular mel filters from 60 Hz to 7.6 kHz over the NFFT/2+1 bins, stored sparsely (first bin, end, weights). */
const MEL_BANK: Array<[number, number, Float64Array]> = (() => {
  const toMel = (hz: number) => 1127 * Math.log(1 + hz / 700);
  const toHz = (m: number) => 700 * (Math.exp(m / 1127) - 1);
  const lo = toMel(60);
  const hi = toMel(7600);
  const edges = Array.from({ length: N_MELS + 2 }, (_, i) => toHz(lo + ((hi - lo) * i) / (N_MELS + 1)));
  const binHz = SAMPLE_RATE / NFFT;
  return Array.from({ length: N_MELS }, (_, m) => {
    const [l, c, r] = [edges[m], edges[m + 1], edges[m + 2]];
    const first = Math.ceil(l / binHz);
    const end = Math.floor(r / binHz) + 1;
    const w = new Float64Array(Math.max(0, end - first));
    for (let k = first; k < end; k++) {
      const hz = k * binHz;
      w[k - first] = hz <= c ? (hz - l) / (c - l) : (r - hz) / (r - c);
    }
    return [first, end, w] as [number, number, Float64Array];
  });
})();

const DCT = Float64Array.from({ length: N_MFCC * N_MELS }, (_, i) => {
  const c = Math.floor(i / N_MELS);
  const m = i % N_MELS;
  return Math.sqrt(2 / N_MELS) * Math.cos((Math.PI * c * (m + 0.5)) / N_MELS);
});

const BITREV = (() => {
  const bits = Math.log2(NFFT);
  return Uint32Array.from({ length: NFFT }, (_, i) => {
    let r = 0;
    for (let b = 0; b < bits; b++) r |= ((i >> b) & 1) << (bits - 1 - b);
    return r;
  });
})();
const COS = Float64Array.from({ length: NFFT / 2 }, (_, i) => Math.cos((2 * Math.PI * i) / NFFT));
const SIN = Float64Array.from({ length: NFFT / 2 }, (_, i) => Math.sin((2 * Math.PI * i) / NFFT));

/** In-place iterative radix-2 FFT of size NFFT (the inverse is unscaled: only ratios of it are used). */
function fft(re: Float64Array, im: Float64Array, inverse: boolean): void {
  for (let i = 0; i < NFFT; i++) {
    const j = BITREV[i];
    if (j > i) {
      [re[i], re[j]] = [re[j], re[i]];
      [im[i], im[j]] = [im[j], im[i]];
    }
  }
  const sign = inverse ? 1 : -1;
  for (let size = 2; size <= NFFT; size <<= 1) {
    const half = size >> 1;
    const step = NFFT / size;
    for (let start = 0; start < NFFT; start += size) {
      for (let k = 0; k < half; k++) {
        const wr = COS[k * step];
        const wi = sign * SIN[k * step];
        const a = start + k;
        const b = a + half;
        const tr = re[b] * wr - im[b] * wi;
        const ti = re[b] * wi + im[b] * wr;
        re[b] = re[a] - tr;
        im[b] = im[a] - ti;
        re[a] += tr;
        im[a] += ti;
      }
    }
  }
}
