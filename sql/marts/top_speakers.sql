-- Who is quoted, how often and in how many articles. A speaker is the resolved entity when
-- there is one, else the canonical name, else the words as written within one article
-- (so an unresolved "he" is never merged across articles). `is_resolved` tells them apart.
with quotes as (
    select * from stg_quotes
),

articles as (
    select * from stg_articles
),

entities as (
    select * from stg_entities
),

keyed as (
    select
        quotes.*,
        articles.article_date
    from quotes
    inner join articles on articles.article_id = quotes.article_id
),

titles as (
    select
        speaker_key,
        speaker_title,
        row_number() over (
            partition by speaker_key order by count(*) desc, length(speaker_title) desc, speaker_title
        ) as title_rank
    from keyed
    where speaker_title is not null
    group by speaker_key, speaker_title
),

organisations as (
    select
        speaker_key,
        speaker_org_entity_id,
        row_number() over (
            partition by speaker_key order by count(*) desc, speaker_org_entity_id
        ) as org_rank
    from keyed
    where speaker_org_entity_id is not null
    group by speaker_key, speaker_org_entity_id
),

speakers as (
    select
        speaker_key,
        any_value(speaker_entity_id) as speaker_entity_id,
        coalesce(
            any_value(speaker_name order by speaker_name),
            any_value(speaker_text order by length(speaker_text) desc, speaker_text),
            'unknown speaker'
        ) as speaker_name_as_written,
        count(*) as quote_count,
        count(*) filter (where quote_type = 'direct') as direct_quote_count,
        count(distinct article_id) as article_count,
        min(article_date) as first_quoted_on,
        max(article_date) as last_quoted_on,
        avg(confidence) as avg_confidence
    from keyed
    group by speaker_key
),

final as (
    select
        speakers.speaker_key,
        speakers.speaker_entity_id,
        coalesce(speaker_entity.canonical_name, speakers.speaker_name_as_written) as speaker,
        speakers.speaker_entity_id is not null as is_resolved,
        titles.speaker_title,
        organisations.speaker_org_entity_id as organisation_entity_id,
        org_entity.canonical_name as organisation,
        speakers.quote_count,
        speakers.direct_quote_count,
        speakers.article_count,
        speakers.first_quoted_on,
        speakers.last_quoted_on,
        speakers.avg_confidence
    from speakers
    left join entities as speaker_entity on speaker_entity.entity_id = speakers.speaker_entity_id
    left join titles on titles.speaker_key = speakers.speaker_key and titles.title_rank = 1
    left join organisations on organisations.speaker_key = speakers.speaker_key and organisations.org_rank = 1
    left join entities as org_entity on org_entity.entity_id = organisations.speaker_org_entity_id
)

select * from final
