-- The owner of an assessment: the staff member (user e-mail) who carries it through; '' when
-- nobody is assigned. "My work" filters on it.
ALTER TABLE assessments ADD COLUMN assignee TEXT NOT NULL DEFAULT '';
CREATE INDEX assessments_assignee ON assessments (assignee);
