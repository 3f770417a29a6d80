-- Optional prompt facts on a call: which prompt template (name and version) it used and how long the prompt
-- was in characters, for the prompt insights.
ALTER TABLE usage_record ADD COLUMN prompt_template VARCHAR(200);
ALTER TABLE usage_record ADD COLUMN prompt_version VARCHAR(200);
ALTER TABLE usage_record ADD COLUMN prompt_chars INTEGER;
