-- The tone of each speaker's quotes (-1..1: the tone of the sentences a quote spans), with the
-- speaker, title and organisation of `top_speakers` (same speaker keys: an unresolved "he" is never
-- merged across articles). `tone_trend_per_30d` is the least-squares slope of quote tone over the
-- article dates, per 30 days (null with fewer than two dates); `trend` reads it: rising, falling
-- (a change of more than 0.05 per 30 days) or steady.
with quotes as (
    select * from stg_quotes
),

articles as (
    select * from stg_articles
),

speakers as (
    select * from top_speakers
),

keyed as (
    select
        quotes.tone,
        quotes.quote_type,
        articles.article_date,
        quotes.speaker_key
    from quotes
    inner join articles on articles.article_id = quotes.article_id
),

toned as (
    select
        speaker_key,
        count(*) as quotes,
        count(tone) as toned_quotes,
        avg(tone) as mean_tone,
        avg(tone) filter (where quote_type = 'direct') as mean_direct_tone,
        min(tone) as min_tone,
        max(tone) as max_tone,
        count(distinct article_date) filter (where tone is not null) as toned_days,
        regr_slope(tone, epoch(article_date) / 86400.0) * 30 as slope_per_30d
    from keyed
    group by speaker_key
),

final as (
    select
        speakers.speaker_key,
        speakers.speaker,
        speakers.is_resolved,
        speakers.speaker_title,
        speakers.organisation_entity_id,
        speakers.organisation,
        toned.quotes,
        toned.toned_quotes,
        toned.mean_tone,
        toned.mean_direct_tone,
        toned.min_tone,
        toned.max_tone,
        case when toned.toned_days >= 2 then toned.slope_per_30d end as tone_trend_per_30d,
        case
            when toned.toned_days < 2 or toned.slope_per_30d is null then null
            when toned.slope_per_30d > 0.05 then 'rising'
            when toned.slope_per_30d < -0.05 then 'falling'
            else 'steady'
        end as trend,
        speakers.first_quoted_on,
        speakers.last_quoted_on
    from toned
    inner join speakers on speakers.speaker_key = toned.speaker_key
)

select * from final
