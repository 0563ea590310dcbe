-- One row per article. Adds the calendar dates the marts group by: `article_date` is the
-- publication date, or the ingestion date for an undated article (`date_source` says which).
with source as (
    select * from main.articles
),

renamed as (
    select
        article_id,
        source,
        lower(trim(source_type)) as source_type,
        nullif(trim(url), '') as url,
        nullif(lower(regexp_extract(coalesce(url, source), '^[a-zA-Z][a-zA-Z0-9+.-]*://(?:www\.)?([^/:?#]+)', 1)), '')
            as source_domain,
        trim(title) as title,
        nullif(trim(subtitle), '') as subtitle,
        nullif(trim(byline), '') as byline,
        published_at,
        ingested_at,
        cast(published_at as date) as published_date,
        cast(ingested_at as date) as ingested_date,
        cast(coalesce(published_at, ingested_at) as date) as article_date,
        case when published_at is null then 'ingested' else 'published' end as date_source,
        nullif(lower(trim(language)), '') as language,
        body,
        word_count,
        content_hash,
        extractor_version,
        run_id,
        source_encoding,
        -- tone -1..1 (VADER, word-weighted over sentences); shares of words in positive / negative sentences
        cast(tone as double) as tone,
        cast(tone_positive as double) as tone_positive,
        cast(tone_negative as double) as tone_negative
    from source
)

select * from renamed
