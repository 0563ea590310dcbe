with source as (
    select * from main.pipeline_runs
),

renamed as (
    select
        run_id,
        flow_run_id,
        started_at,
        finished_at,
        lower(trim(status)) as status,
        articles_seen,
        articles_new,
        articles_updated,
        articles_skipped,
        articles_rejected,
        rows_articles,
        rows_entities,
        rows_entity_aliases,
        rows_entity_mentions,
        rows_quotes,
        rows_metrics,
        rows_rejects,
        extractor_version,
        failed_step,
        error,
        coalesce(duration_s, date_diff('millisecond', started_at, finished_at) / 1000.0) as duration_s
    from source
)

select * from renamed
