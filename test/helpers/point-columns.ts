// Chart series as plain { x, y } objects, to write tests' inputs and expectations readably.
import { PointColumns } from '../../src/report/point-columns.js';

export interface Point {
  x: number;
  y: number | null;
}

export function columnsOf(points: Iterable<Point>): PointColumns {
  const columns = new PointColumns();
  for (const point of points) columns.push(point.x, point.y);
  return columns;
}

export function pointsOf(columns: PointColumns): Point[] {
  return Array.from({ length: columns.length }, (_, i) => ({ x: columns.x(i), y: columns.y(i) }));
}
