import type { MethodParams, MethodResult } from '../../../main/api/contract';
import type { DatanetRecord } from '../../../main/api/datanetSchemas';

export type RecordsPage = MethodResult<'datanets.records'>;
export type FetchPage = (params: MethodParams<'datanets.records'>) => Promise<RecordsPage>;

/**
 * The table's window onto a listing: pages of `pageSize` rows fetched from the core as they come
 * into view, each once; a row outside a fetched page is a placeholder. One instance per
 * (datanet, filter, sort): a new listing makes a new instance, so a late page of the old one
 * lands nowhere.
 */
export class RecordPages {
  total: number | null = null;
  private readonly pages = new Map<number, DatanetRecord[]>();
  private readonly inFlight = new Set<number>();
  readonly highlights = new Map<number, string>();

  constructor(
    private readonly fetch: FetchPage,
    private readonly query: Omit<MethodParams<'datanets.records'>, 'offset' | 'limit'>,
    readonly pageSize = 200,
  ) {}

  row(index: number): DatanetRecord | undefined {
    return this.pages.get(Math.floor(index / this.pageSize))?.[index % this.pageSize];
  }

  /** Fetches the pages covering rows first..last not held or on their way; resolves when they land. */
  async ensure(first: number, last: number): Promise<boolean> {
    const wanted: number[] = [];
    for (let p = Math.floor(first / this.pageSize); p <= Math.floor(last / this.pageSize); p++) {
      if (!this.pages.has(p) && !this.inFlight.has(p)) wanted.push(p);
    }
    if (wanted.length === 0) return false;
    await Promise.all(
      wanted.map(async (p) => {
        this.inFlight.add(p);
        try {
          const page = await this.fetch({ ...this.query, offset: p * this.pageSize, limit: this.pageSize });
          this.total = page.total;
          this.pages.set(p, page.records);
          for (const [id, snippet] of Object.entries(page.highlights)) this.highlights.set(Number(id), snippet);
        } finally {
          this.inFlight.delete(p);
        }
      }),
    );
    return true;
  }

  /** A reviewed record shown with its new state in place (the listing is read again later). */
  patch(record: DatanetRecord): void {
    for (const rows of this.pages.values()) {
      const i = rows.findIndex((r) => r.id === record.id);
      if (i >= 0) rows[i] = record;
    }
  }
}
