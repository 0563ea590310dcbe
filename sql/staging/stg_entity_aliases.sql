-- Every surface form seen for an entity; trimming can make two raw aliases one, hence `distinct`.
with source as (
    select * from main.entity_aliases
),

renamed as (
    select distinct
        entity_id,
        trim(alias) as alias
    from source
    where nullif(trim(alias), '') is not null
)

select * from renamed
