// What a subgraph hands the holds module: its hold table and how its resource is given back and
// used up. Taking is passed to reserve and confirm, since only the subgraph knows what a refusal means.
import type { EntityManager, EntitySchema } from 'typeorm';
import type { HoldStatus } from './lifecycle.js';

/** The columns every hold table has; a hold belongs to one order, which may hold several rows. */
export interface HoldRow {
  orderId: string;
  status: HoldStatus;
  expiresAt: Date;
  createdAt: Date;
}

/** A hold row as its owner describes it: the lifecycle columns are the module's to write. */
export type HoldRowInput<Row extends HoldRow> = Omit<Row, 'status' | 'expiresAt' | 'createdAt'>;

export interface HoldKind<Row extends HoldRow> {
  entity: EntitySchema<Row>;
  /** The property telling one order's rows apart (stock: productId); absent with one row per order. */
  lineKey?: keyof Row & string;
  /** Returns what one row took to availability (release or expiry). */
  giveBack(em: EntityManager, hold: Row): Promise<void>;
  /** Consumes what one row holds when its order is paid; absent when payment consumes nothing held. */
  useUp?(em: EntityManager, hold: Row): Promise<void>;
  /**
   * Consumes what an expired row held from what is available now; false when it is not there.
   * Absent: an expired hold stays EXPIRED when its order is paid.
   */
  useUpAfresh?(em: EntityManager, hold: Row): Promise<boolean>;
}
