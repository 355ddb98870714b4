/** Upper bounds (seconds) of the request duration histogram. */
export const DURATION_BUCKETS: readonly number[] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** In-memory request metrics of one process or isolate. */
export interface ResourceMetrics {
  /** Records one finished request. */
  record(status: number, seconds: number, requestBytes: number, responseBytes: number): void;
  /** Prometheus text exposition format (version 0.0.4). */
  prometheus(): string;
}

/** Creates {@link ResourceMetrics}; `memory` returns resident bytes where the runtime exposes them. */
export function resourceMetrics(memory: () => number | undefined): ResourceMetrics {
  // Requests by status class: index 1 counts 1xx … index 5 counts 5xx (anything else is clamped into that range).
  const byClass = [0, 0, 0, 0, 0, 0];
  const buckets = new Array<number>(DURATION_BUCKETS.length).fill(0);
  let count = 0;
  let sum = 0;
  let inBytes = 0;
  let outBytes = 0;
  return {
    record(status, seconds, requestBytes, responseBytes) {
      const cls = Math.min(5, Math.max(1, Math.floor(status / 100)));
      byClass[cls] = (byClass[cls] as number) + 1;
      count++;
      sum += seconds;
      inBytes += requestBytes;
      outBytes += responseBytes;
      for (let i = 0; i < DURATION_BUCKETS.length; i++)
        if (seconds <= (DURATION_BUCKETS[i] as number)) buckets[i] = (buckets[i] as number) + 1;
    },
    prometheus() {
      const lines = [
        '# HELP smarter_requests_total Requests answered, by status class.',
        '# TYPE smarter_requests_total counter',
      ];
      for (let cls = 1; cls <= 5; cls++) {
        const n = byClass[cls] as number;
        if (n > 0) lines.push(`smarter_requests_total{status="${cls}xx"} ${n}`);
      }
      lines.push(
        '# HELP smarter_request_duration_seconds Wall time per request.',
        '# TYPE smarter_request_duration_seconds histogram',
      );
      DURATION_BUCKETS.forEach((le, i) => {
        lines.push(`smarter_request_duration_seconds_bucket{le="${le}"} ${buckets[i]}`);
      });
      lines.push(
        `smarter_request_duration_seconds_bucket{le="+Inf"} ${count}`,
        `smarter_request_duration_seconds_sum ${sum}`,
        `smarter_request_duration_seconds_count ${count}`,
        '# HELP smarter_request_bytes_total Request body bytes (declared).',
        '# TYPE smarter_request_bytes_total counter',
        `smarter_request_bytes_total ${inBytes}`,
        '# HELP smarter_response_bytes_total Response body bytes (declared).',
        '# TYPE smarter_response_bytes_total counter',
        `smarter_response_bytes_total ${outBytes}`,
      );
      const rss = memory();
      if (rss !== undefined) {
        lines.push(
          '# HELP smarter_memory_resident_bytes Resident memory of the process.',
          '# TYPE smarter_memory_resident_bytes gauge',
          `smarter_memory_resident_bytes ${rss}`,
        );
      }
      return `${lines.join('\n')}\n`;
    },
  };
}
