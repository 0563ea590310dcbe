-- Every source (file path or URL) that carried an article; identical copies share one article.
with source as (
    select * from main.article_sources
),

renamed as (
    select
        source,
        article_id,
        lower(trim(source_type)) as source_type,
        nullif(lower(regexp_extract(source, '^[a-zA-Z][a-zA-Z0-9+.-]*://(?:www\.)?([^/:?#]+)', 1)), '')
            as source_domain,
        run_id
    from source
)

select * from renamed
