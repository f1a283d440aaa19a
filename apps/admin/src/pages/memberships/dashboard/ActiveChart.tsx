import { useId, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { useFormatters } from '../../../i18n/format';

const WIDTH = 720;
const HEIGHT = 220;
const PAD = { top: 16, right: 16, bottom: 32, left: 44 };

/** A rounded-up scale top with 4 even steps (0, 5, 10... or 0, 250, 500...). */
function scaleTop(max: number): number {
  if (max <= 4) return 4;
  const rough = max / 4;
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * power).find((s) => s >= rough) ?? rough;
  return step * 4;
}

/** Members in good standing at the end of each month: a line over bars, no chart library. */
export function ActiveChart({ points }: { points: readonly { month: string; active: number }[] }) {
  const { t, i18n } = useTranslation();
  const format = useFormatters();
  const titleId = useId();
  const monthLabel = useMemo(() => {
    const formatter = new Intl.DateTimeFormat(i18n.language, {
      month: 'short',
      year: '2-digit',
      timeZone: 'UTC',
    });
    return (month: string) => formatter.format(new Date(`${month}-01T00:00:00Z`));
  }, [i18n.language]);

  if (points.length === 0) return null;
  const top = scaleTop(Math.max(...points.map((point) => point.active)));
  const innerWidth = WIDTH - PAD.left - PAD.right;
  const innerHeight = HEIGHT - PAD.top - PAD.bottom;
  const slot = innerWidth / points.length;
  const x = (index: number) => PAD.left + slot * index + slot / 2;
  const y = (value: number) => PAD.top + innerHeight - (value / top) * innerHeight;
  const line = points.map((point, index) => `${x(index)},${y(point.active)}`).join(' ');
  const ticks = [0, 1, 2, 3, 4].map((step) => (top / 4) * step);
  const last = points[points.length - 1];
  const labelEvery = points.length > 12 ? 3 : 1;

  return (
    <figure className="chart" data-testid="active-chart">
      <svg
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        role="img"
        aria-labelledby={titleId}
        preserveAspectRatio="xMidYMid meet"
      >
        <title id={titleId}>
          {t('memberships.dashboard.chartSummary', {
            months: points.length,
            last: format.number(last.active),
          })}
        </title>
        {ticks.map((tick) => (
          <g key={tick} className="chart__tick">
            <line x1={PAD.left} x2={WIDTH - PAD.right} y1={y(tick)} y2={y(tick)} />
            <text x={PAD.left - 8} y={y(tick)} dy="0.32em" textAnchor="end">
              {format.number(Math.round(tick * 10) / 10)}
            </text>
          </g>
        ))}
        {points.map((point, index) => (
          <rect
            key={point.month}
            className="chart__bar"
            x={x(index) - slot * 0.3}
            width={slot * 0.6}
            y={y(point.active)}
            height={Math.max(0, PAD.top + innerHeight - y(point.active))}
          >
            <title>
              {t('memberships.dashboard.barTitle', {
                month: monthLabel(point.month),
                value: format.number(point.active),
              })}
            </title>
          </rect>
        ))}
        <polyline className="chart__line" points={line} />
        {points.map((point, index) =>
          index % labelEvery === (points.length - 1) % labelEvery ? (
            <text
              key={point.month}
              className="chart__label"
              x={x(index)}
              y={HEIGHT - PAD.bottom + 18}
              textAnchor="middle"
            >
              {monthLabel(point.month)}
            </text>
          ) : null,
        )}
      </svg>
      <details className="chart__data">
        <summary>{t('memberships.dashboard.chartData')}</summary>
        <div className="table-wrap">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">{t('memberships.dashboard.month')}</th>
                <th scope="col" className="numeric">
                  {t('memberships.dashboard.inGoodStanding')}
                </th>
              </tr>
            </thead>
            <tbody>
              {points.map((point) => (
                <tr key={point.month}>
                  <td>{monthLabel(point.month)}</td>
                  <td className="numeric">{format.number(point.active)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </figure>
  );
}
