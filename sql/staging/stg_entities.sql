with source as (
    select * from main.entities
),

renamed as (
    select
        entity_id,
        trim(canonical_name) as canonical_name,
        upper(trim(entity_type)) as entity_type,
        first_seen_at
    from source
)

select * from renamed
