/**
 * What one live connection was sent, for the control API's delivery log, shared by every emulated
 * service. Each field is kept in an array of its own (a load generator logs tens of thousands of
 * deliveries a second, and plain arrays cost far less than an object per delivery). Past `limit`
 * entries the oldest half is forgotten, and counted.
 */
export class DeliveryLog<Row extends object> {
  private columns: unknown[][];
  private forgottenCount = 0;

  constructor(
    private readonly fields: ReadonlyArray<keyof Row>,
    private readonly limit: number,
  ) {
    this.columns = fields.map(() => []);
  }

  /** Deliveries let go of so far. */
  get forgotten(): number {
    return this.forgottenCount;
  }

  /** Logs one delivery. */
  push(row: Row): void {
    this.fields.forEach((field, column) => {
      this.columns[column]?.push(row[field]);
    });
    if ((this.columns[0]?.length ?? 0) > this.limit) this.trim();
  }

  /** The deliveries still remembered, oldest first. */
  rows(): Row[] {
    const length = this.columns[0]?.length ?? 0;
    const rows: Row[] = [];
    for (let index = 0; index < length; index += 1) {
      const row: Record<PropertyKey, unknown> = {};
      this.fields.forEach((field, column) => {
        row[field] = this.columns[column]?.[index];
      });
      rows.push(row as Row);
    }
    return rows;
  }

  private trim(): void {
    const drop = Math.floor((this.columns[0]?.length ?? 0) / 2);
    this.columns = this.columns.map((column) => column.slice(drop));
    this.forgottenCount += drop;
  }
}
