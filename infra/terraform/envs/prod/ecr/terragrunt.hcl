# ecr: the image repository. One image ("tidily", the server binary) runs both
# ECS services; the command selects the role. No dependencies.

include "root" {
  path = find_in_parent_folders("root.hcl")
}

include "env" {
  path   = find_in_parent_folders("env.hcl")
  expose = true
}

terraform {
  source = "${get_repo_root()}/infra/terraform/modules//ecr"
}

inputs = {
  name_prefix           = include.env.locals.name_prefix
  repository_names      = ["tidily"]
  image_retention_count = include.env.locals.ecr_image_retention_count
  force_delete          = include.env.locals.ecr_force_delete
  scan_on_push          = true

  # Tags are never overwritten: every deploy pushes a new tag (the git commit)
  # and passes it as TIDILY_IMAGE_TAG to the compute unit.
  image_tag_mutability = "IMMUTABLE"
}
