-- The tone of each speaker on each theme: quotes whose own words match the theme (stg_quote_themes),
-- with the speaker, title and organisation of `top_speakers`. Answers "how has this ministry's tone
-- on export controls changed?": `mean_tone`, first and last quote dates, and `tone_trend_per_30d`
-- (least-squares slope of quote tone over article dates, per 30 days; null with fewer than two dates).
with quote_themes as (
    select * from stg_quote_themes
),

quotes as (
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
        quote_themes.theme,
        quotes.tone,
        articles.article_date,
        quotes.speaker_key
    from quote_themes
    inner join quotes on quotes.quote_id = quote_themes.quote_id
    inner join articles on articles.article_id = quotes.article_id
),

grouped as (
    select
        speaker_key,
        theme,
        count(*) as quotes,
        count(tone) as toned_quotes,
        avg(tone) as mean_tone,
        min(article_date) as first_quoted_on,
        max(article_date) as last_quoted_on,
        count(distinct article_date) filter (where tone is not null) as toned_days,
        regr_slope(tone, epoch(article_date) / 86400.0) * 30 as slope_per_30d
    from keyed
    group by all
),

final as (
    select
        grouped.speaker_key,
        speakers.speaker,
        speakers.is_resolved,
        speakers.organisation,
        grouped.theme,
        grouped.quotes,
        grouped.toned_quotes,
        grouped.mean_tone,
        case when grouped.toned_days >= 2 then grouped.slope_per_30d end as tone_trend_per_30d,
        grouped.first_quoted_on,
        grouped.last_quoted_on
    from grouped
    inner join speakers on speakers.speaker_key = grouped.speaker_key
)

select * from final
