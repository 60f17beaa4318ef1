-- Per-control results of each assessment as last scored, one line per control
-- ("ID<TAB>status<TAB>basis<TAB>waived 0|1"), written with the summary, so that the portfolio's
-- obligations coverage reads every supplier's latest decided results in one query instead of
-- re-scoring each assessment.
CREATE TABLE assessment_outcomes (
    assessment_id BIGINT PRIMARY KEY REFERENCES assessments(id) ON DELETE CASCADE,
    outcomes      TEXT NOT NULL,
    computed_at   TIMESTAMPTZ NOT NULL
);
