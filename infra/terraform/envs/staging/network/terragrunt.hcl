# network: VPC, public and private subnets in ap-northeast-1a/1c, the optional
# NAT gateway, VPC endpoints and the SSM-only bastion host. No dependencies.

include "root" {
  path = find_in_parent_folders("root.hcl")
}

include "env" {
  path   = find_in_parent_folders("env.hcl")
  expose = true
}

terraform {
  source = "${get_repo_root()}/infra/terraform/modules//network"
}

inputs = {
  name_prefix          = include.env.locals.name_prefix
  vpc_cidr             = include.env.locals.vpc_cidr
  azs                  = ["ap-northeast-1a", "ap-northeast-1c"]
  public_subnet_cidrs  = include.env.locals.public_subnet_cidrs
  private_subnet_cidrs = include.env.locals.private_subnet_cidrs
  enable_nat_gateway   = include.env.locals.enable_nat_gateway
  interface_endpoints  = include.env.locals.interface_endpoints

  # The bastion is how operators reach the database (SSM port forwarding,
  # scripts/connect_to_awsdb.sh); it has no key pair and no inbound rule.
  enable_bastion        = true
  bastion_instance_type = "t3.nano"
}
