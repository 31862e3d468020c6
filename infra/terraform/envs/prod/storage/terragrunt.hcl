# storage: the assets bucket (<name_prefix>-assets) with encryption, blocked
# public access, lifecycle to STANDARD_IA and expiry, and CORS for the site's
# origins. No dependencies.

include "root" {
  path = find_in_parent_folders("root.hcl")
}

include "env" {
  path   = find_in_parent_folders("env.hcl")
  expose = true
}

terraform {
  source = "${get_repo_root()}/infra/terraform/modules//storage"
}

inputs = {
  name_prefix                        = include.env.locals.name_prefix
  versioning_enabled                 = include.env.locals.assets_versioning_enabled
  ia_transition_days                 = include.env.locals.assets_ia_transition_days
  expiration_days                    = include.env.locals.assets_expiration_days
  noncurrent_version_expiration_days = 30
  cors_allowed_origins               = include.env.locals.assets_cors_allowed_origins
  force_destroy                      = include.env.locals.assets_force_destroy
}
