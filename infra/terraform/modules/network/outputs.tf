output "vpc_id" {
  description = "ID of the VPC."
  value       = aws_vpc.this.id
}

output "vpc_cidr" {
  description = "IPv4 CIDR block of the VPC."
  value       = aws_vpc.this.cidr_block
}

output "public_subnet_ids" {
  description = "IDs of the public subnets, in the order of azs."
  value       = aws_subnet.public[*].id
}

output "private_subnet_ids" {
  description = "IDs of the private subnets, in the order of azs."
  value       = aws_subnet.private[*].id
}

output "bastion_security_group_id" {
  description = "Security group of the bastion (exists even when the instance is disabled), for the database's ingress rule."
  value       = aws_security_group.bastion.id
}

output "bastion_instance_id" {
  description = "Instance ID of the bastion, or null when enable_bastion is false."
  value       = var.enable_bastion ? aws_instance.bastion[0].id : null
}

output "nat_gateway_id" {
  description = "ID of the NAT gateway, or null when enable_nat_gateway is false."
  value       = var.enable_nat_gateway ? aws_nat_gateway.this[0].id : null
}

output "vpc_endpoint_ids" {
  description = "Map of AWS service suffix (and \"s3\") to VPC endpoint ID."
  value       = merge({ for k, v in aws_vpc_endpoint.interface : k => v.id }, { s3 = aws_vpc_endpoint.s3.id })
}
