-- An entity_id that no longer exists and the entity it became (one hop): join saved ids through it.
with source as (
    select * from main.entity_redirects
),

renamed as (
    select
        old_entity_id,
        entity_id,
        mentions,
        redirected_at,
        run_id
    from source
)

select * from renamed
