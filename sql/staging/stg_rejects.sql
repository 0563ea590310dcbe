with source as (
    select * from main.rejects
),

renamed as (
    select
        reject_id,
        source,
        lower(trim(reason)) as reason,
        detail,
        stored_path,
        run_id,
        rejected_at
    from source
)

select * from renamed
