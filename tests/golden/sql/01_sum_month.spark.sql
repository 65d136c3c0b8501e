WITH calendar AS (
  SELECT *
  FROM VALUES (0, DATE '2026-01-01', DATE '2026-01-31', DATE '2026-01-01', DATE '2026-01-31'),
         (1, DATE '2026-02-01', DATE '2026-02-28', DATE '2026-02-01', DATE '2026-02-28'),
         (2, DATE '2026-03-01', DATE '2026-03-31', DATE '2026-03-01', DATE '2026-03-31') AS c(p, period_start, period_end, lo_0, hi_0)
),
obs AS (
  SELECT `date`,
         `measure`,
         `value`
  FROM observations
  WHERE `measure` IN ('orders')
),
spans AS (
  SELECT p,
         0 AS leaf,
         'orders' AS measure,
         lo_0 AS lo,
         hi_0 AS hi
  FROM calendar
  WHERE (lo_0 IS NOT NULL)
),
hits AS (
  SELECT s.p,
         s.leaf,
         o.`date` AS d,
         o.`value` AS v
  FROM spans AS s
  JOIN obs AS o ON (((o.`measure` = s.measure) AND (o.`date` >= s.lo)) AND (o.`date` <= s.hi))
  WHERE ((o.`date` >= DATE '2026-01-01') AND (o.`date` <= DATE '2026-03-31'))
),
agg AS (
  SELECT p,
         CAST(count(CASE WHEN (leaf = 0) THEN 1 END) AS DOUBLE) AS n_0,
         sum(CASE WHEN (leaf = 0) THEN v END) AS s_0,
         sum(CASE WHEN (leaf = 0) THEN abs(v) END) AS m_0
  FROM hits
  GROUP BY p
),
cells AS (
  SELECT c.*,
         a.n_0,
         a.s_0,
         a.m_0
  FROM calendar AS c
  LEFT JOIN agg AS a ON (a.p = c.p)
),
n0x AS (
  SELECT *,
         CASE WHEN (abs(coalesce(s_0, 0e0)) <= (1e-9 * coalesce(m_0, 0e0))) THEN 0e0 ELSE coalesce(s_0, 0e0) END AS x_0
  FROM cells
),
n0 AS (
  SELECT *,
         CASE WHEN (abs(x_0) > 1.7976931348623157e308) THEN concat('metric orders_sum overflows the range of numbers in ', CAST(lo_0 AS STRING), '..', CAST(hi_0 AS STRING)) END AS r_0,
         CASE WHEN (CASE WHEN (abs(x_0) > 1.7976931348623157e308) THEN concat('metric orders_sum overflows the range of numbers in ', CAST(lo_0 AS STRING), '..', CAST(hi_0 AS STRING)) END IS NULL) THEN CASE WHEN (x_0 = 0e0) THEN 0e0 ELSE x_0 END END AS v_0
  FROM n0x
)
SELECT period_start,
       period_end,
       v_0 AS `value`,
       r_0 AS `undefined`
FROM n0
ORDER BY p
