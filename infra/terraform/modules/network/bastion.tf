# Bastion for database port forwarding. It has no key pair, no inbound rule
# and no public IP: operators reach it only through SSM Session Manager
# (AWS-StartPortForwardingSessionToRemoteHost).

data "aws_ssm_parameter" "bastion_ami" {
  count = var.enable_bastion ? 1 : 0

  name = var.bastion_ami_ssm_parameter
}

data "aws_iam_policy_document" "bastion_assume" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["ec2.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "bastion" {
  count = var.enable_bastion ? 1 : 0

  name               = "${var.name_prefix}-bastion"
  assume_role_policy = data.aws_iam_policy_document.bastion_assume.json
}

resource "aws_iam_role_policy_attachment" "bastion_ssm" {
  count = var.enable_bastion ? 1 : 0

  role       = aws_iam_role.bastion[0].name
  policy_arn = "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore"
}

resource "aws_iam_instance_profile" "bastion" {
  count = var.enable_bastion ? 1 : 0

  name = "${var.name_prefix}-bastion"
  role = aws_iam_role.bastion[0].name
}

# The security group always exists so the database module can reference it
# whether or not the instance is running.
resource "aws_security_group" "bastion" {
  name        = "${var.name_prefix}-bastion"
  description = "Bastion: no inbound, HTTPS out for SSM, PostgreSQL into the VPC"
  vpc_id      = aws_vpc.this.id

  tags = { Name = "${var.name_prefix}-bastion" }
}

resource "aws_vpc_security_group_egress_rule" "bastion_https" {
  security_group_id = aws_security_group.bastion.id
  description       = "HTTPS to SSM endpoints and package repositories"
  cidr_ipv4         = "0.0.0.0/0"
  from_port         = 443
  to_port           = 443
  ip_protocol       = "tcp"
}

resource "aws_vpc_security_group_egress_rule" "bastion_postgres" {
  security_group_id = aws_security_group.bastion.id
  description       = "PostgreSQL to the database inside the VPC"
  cidr_ipv4         = var.vpc_cidr
  from_port         = 5432
  to_port           = 5432
  ip_protocol       = "tcp"
}

resource "aws_instance" "bastion" {
  count = var.enable_bastion ? 1 : 0

  ami                         = data.aws_ssm_parameter.bastion_ami[0].value
  instance_type               = var.bastion_instance_type
  subnet_id                   = aws_subnet.private[0].id
  vpc_security_group_ids      = [aws_security_group.bastion.id]
  iam_instance_profile        = aws_iam_instance_profile.bastion[0].name
  associate_public_ip_address = false
  ebs_optimized               = true
  monitoring                  = true

  metadata_options {
    http_endpoint               = "enabled"
    http_tokens                 = "required"
    http_put_response_hop_limit = 1
  }

  root_block_device {
    volume_type           = "gp3"
    volume_size           = var.bastion_root_volume_size
    encrypted             = true
    delete_on_termination = true
  }

  tags = { Name = "${var.name_prefix}-bastion" }

  lifecycle {
    # A newer AMI must not replace a running bastion on every plan; replace
    # it deliberately with `terraform apply -replace`.
    ignore_changes = [ami]

    precondition {
      condition     = var.enable_nat_gateway || (contains(var.interface_endpoints, "ssm") && contains(var.interface_endpoints, "ssmmessages"))
      error_message = "A private bastion without a NAT gateway needs the ssm and ssmmessages interface endpoints."
    }
  }
}
