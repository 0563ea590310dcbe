with source as (
    select * from main.entities
),

renamed as (
    select
        entity_id,
        trim(canonical_name) as canonical_name,
        upper(trim(entity_type)) as entity_type,
        first_seen_at,
        geonames_id,
        place_kind,
        upper(country_code) as country_code,
        admin1,
        latitude,
        longitude,
        geo_confidence,
        geo_evidence
    from source
)

select * from renamed
